// Runs one measurement in the page: ?backend=webgl|wasm&loop=naive|ganvas&preset=mnist-gan|dcgan-mnist|dcgan-small-mnist
// &warmup=N&blocks=N&block=N (progress logged to the console as each part ends), or ?task=mnist, or
// ?task=adamcheck&backend=webgl (fused Adam vs tfjs's stock Adam on that backend; Node tests cover cpu and wasm), or
// ?task=gradcheck&backend=webgl|wasm (every convolution and gradient case of src/testing/gradientCases.ts against cpu).
// The result lands in window.__bench for bench/run.ts to collect.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selectBackend, type BackendName } from '../../src/train/backend';
import { decodeDocument } from '../../src/graph/document';
import { MNIST_ASSET } from '../../src/data/mnist';
import { fetchMnistTrainImages } from '../../src/data/mnistFetch';
import { FUSED_ADAM, FusedAdamOptimizer, wasmAdamSimd } from '../../src/kernels/fusedAdam';
import * as tf from '@tensorflow/tfjs';
import classic from '../../presets/mnist-gan.json';
import dcgan from '../../presets/dcgan-mnist.json';
import dcganSmall from '../../presets/dcgan-small-mnist.json';
import { registerLeakyReluGrad } from '../../src/kernels/leakyReluGrad';
import { CONV_CASES, forwardAndGrads, GRAD_CASES, gradsOf, relError } from '../../src/testing/gradientCases';
import { measureLoop, type LoopKind } from '../loops';

declare global {
  interface Window {
    __bench?: unknown;
  }
}

const params = new URLSearchParams(location.search);
const out = document.getElementById('out')!;

/**
 * 30 steps of FusedAdamOptimizer and tf.train.adam from the same weights and gradients (the preset's D-sized shapes),
 * then the largest differences in weights (absolute) and moments (relative to max(1, |x|)).
 */
async function adamCheck(): Promise<unknown> {
  const shapes = [[784, 128], [128], [128, 1], [1]];
  let seed = 12345;
  const rand = (n: number, scale: number) =>
    Float32Array.from({ length: n }, () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 2 * scale);
  const make = (tag: string) => tf.tidy(() => shapes.map((s, k) => tf.variable(tf.tensor(rand(s.reduce((a, b) => a * b, 1), 0.1), s), true, `${tag}${k}`)));
  seed = 1;
  const a = make('adamcheck_stock_');
  seed = 1;
  const b = make('adamcheck_fused_');
  const stock = tf.train.adam(1e-3, 0.5, 0.999, 1e-7);
  const fused = new FusedAdamOptimizer(1e-3, 0.5, 0.999, 1e-7);
  let fusedKernels = 0;
  for (let step = 0; step < 30; step++) {
    const grads = shapes.map((s) => rand(s.reduce((x, y) => x * y, 1), step % 3 === 0 ? 1 : 1e-3));
    const apply = (opt: tf.Optimizer, vars: tf.Variable[]) =>
      tf.tidy(() => opt.applyGradients(vars.map((v, k) => ({ name: v.name, tensor: tf.tensor(grads[k], v.shape) }))));
    apply(stock, a);
    if (step === 0) fusedKernels = (await tf.profile(() => apply(fused, b))).kernels.filter((k) => k.name === FUSED_ADAM).length;
    else apply(fused, b);
  }
  type Slots = { accumulatedFirstMoment: { variable: tf.Variable }[]; accumulatedSecondMoment: { variable: tf.Variable }[] };
  const moments = (o: tf.Optimizer) => [...(o as unknown as Slots).accumulatedFirstMoment, ...(o as unknown as Slots).accumulatedSecondMoment].map((m) => m.variable);
  const maxDiff = async (xs: tf.Tensor[], ys: tf.Tensor[], relative: boolean) => {
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      const [x, y] = await Promise.all([xs[i].data(), ys[i].data()]);
      for (let j = 0; j < x.length; j++) worst = Math.max(worst, Math.abs(x[j] - y[j]) / (relative ? Math.max(1, Math.abs(x[j])) : 1));
    }
    return worst;
  };
  const weights = await maxDiff(a, b, false);
  const moment = await maxDiff(moments(stock), moments(fused), true);
  stock.dispose();
  fused.dispose();
  tf.dispose([...a, ...b]);
  const simd = tf.getBackend() === 'wasm' ? wasmAdamSimd(tf.engine().backend) != null : undefined;
  return { env: 'chromium', task: 'adamcheck', backend: tf.getBackend(), simd, fusedKernels, maxWeightDiff: weights, maxMomentDiff: moment, ok: fusedKernels === shapes.length && weights <= 1e-6 && moment <= 1e-6 };
}

/**
 * Each case on cpu, then on `backend`, in this page: the largest relative error (max |Δ| / max |cpu|) of each output,
 * and the tensor count before and after (it must not change).
 */
async function gradCheck(backend: BackendName, wasmPaths: Record<string, string>): Promise<unknown> {
  registerLeakyReluGrad();
  const cases = [
    ...CONV_CASES.map((c) => ({ name: `conv: ${c.name}`, run: () => forwardAndGrads(c) })),
    ...GRAD_CASES.map((c) => ({ name: `grad: ${c.name}`, run: () => gradsOf(c) })),
  ];
  const valuesOn = async (name: BackendName, run: () => tf.Tensor[]) => {
    await selectBackend(name, { wasmPaths });
    const outs = tf.tidy(run);
    const values = await Promise.all(outs.map((o) => o.data() as Promise<Float32Array>));
    tf.dispose(outs);
    return values;
  };
  await selectBackend(backend, { wasmPaths });
  const tensorsBefore = tf.memory().numTensors;
  const results: Array<{ name: string; errors: number[]; ms: number }> = [];
  for (const c of cases) {
    const want = await valuesOn('cpu', c.run);
    const t0 = performance.now();
    const got = await valuesOn(backend, c.run);
    results.push({ name: c.name, errors: got.map((g, i) => relError(g, want[i])), ms: performance.now() - t0 });
  }
  await selectBackend(backend, { wasmPaths });
  const gl = backend === 'webgl' ? (tf.backend() as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl : null;
  const debug = gl?.getExtension('WEBGL_debug_renderer_info');
  const worst = Math.max(...results.flatMap((r) => r.errors));
  return {
    env: 'chromium',
    task: 'gradcheck',
    backend: tf.getBackend(),
    renderer: gl && debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : undefined,
    float32: backend === 'webgl' ? tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') : undefined,
    results,
    worst,
    tensorsBefore,
    tensorsAfter: tf.memory().numTensors,
    ok: worst <= 1e-4,
  };
}

async function main(): Promise<unknown> {
  // ?flags=NAME:value,… sets tfjs environment flags first, to compare backend settings in one run.
  for (const pair of (params.get('flags') ?? '').split(',').filter(Boolean)) {
    const [name, value] = pair.split(':');
    tf.env().set(name, value === 'true' ? true : value === 'false' ? false : Number(value));
  }
  const wasmPaths = { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded };
  if (params.get('task') === 'gradcheck') return gradCheck((params.get('backend') ?? 'webgl') as BackendName, wasmPaths);
  if (params.get('task') === 'adamcheck') {
    await selectBackend((params.get('backend') ?? 'webgl') as BackendName, { wasmPaths });
    return adamCheck();
  }
  const t0 = performance.now();
  const data = await fetchMnistTrainImages(new URL(MNIST_ASSET, document.baseURI).href);
  const mnistMs = performance.now() - t0;
  if (params.get('task') === 'mnist') return { env: 'chromium', task: 'mnist', mnistMs, images: data.count };
  const loop = (params.get('loop') ?? 'ganvas') as LoopKind;
  await selectBackend((params.get('backend') ?? 'webgl') as BackendName, {
    stockKernels: loop === 'naive',
    wasmPaths,
  });
  const presets: Record<string, unknown> = { 'mnist-gan': classic, 'dcgan-mnist': dcgan, 'dcgan-small-mnist': dcganSmall };
  const name = params.get('preset') ?? 'mnist-gan';
  const decoded = decodeDocument(presets[name]);
  if (!decoded.ok) throw new Error(`preset ${name} invalid`);
  const count = (key: string, fallback: number) => Number(params.get(key) ?? fallback);
  const m = await measureLoop(loop, decoded.doc, data, {
    batchSize: count('batch', decoded.doc.training.batchSize),
    warmup: count('warmup', 5),
    blocks: count('blocks', 3),
    blockIterations: count('block', 20),
    // Console messages leave the page as they are logged, even while a wasm loop keeps it busy.
    onProgress: (p) => console.log(`__benchProgress ${JSON.stringify(p)}`),
  });
  return { env: 'chromium', preset: name, ...m };
}

main().then(
  (r) => {
    window.__bench = r;
    console.log(`__bench ${JSON.stringify(r)}`);
    out.textContent = JSON.stringify(r, null, 2);
  },
  (e: unknown) => {
    window.__bench = { error: String(e instanceof Error ? e.stack ?? e.message : e) };
    console.log(`__bench ${JSON.stringify(window.__bench)}`);
    out.textContent = String(e);
  },
);
