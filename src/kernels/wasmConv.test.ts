// @vitest-environment node
// Ganvas's wasm convolution kernels against tfjs's cpu backend: forward, both gradients, and Conv2DTranspose, on the
// DCGAN and CGAN presets' shapes (small batches) and on odd ones; the SIMD products against their JS loops.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniformData } from '../testing/fixtures';
import { wasmBackendMemory } from './wasmAsm';
import { WASM_CONV_KERNELS } from './wasmConv';
import { atbKernel, atbLoop, dotKernel, dotLoop, simdAvailable, type GemmShape } from './wasmConvGemm';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from './wasmMatMul';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** max |actual − expected| / max |expected| (summation order differs, so relative to the output's scale); NaN → ∞. */
function relError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    const d = Math.abs(actual[i] - expected[i]);
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  expect(scale).toBeGreaterThan(0);
  return worst / scale;
}

async function valuesOn(backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outs = tf.tidy(f);
  const values = await Promise.all(outs.map((o) => o.data() as Promise<Float32Array>));
  tf.dispose(outs);
  expect(tf.memory().numTensors).toBe(before);
  return values;
}

interface ConvCase {
  name: string;
  /** The convolution's input x (for a transposed convolution: its input, which plays dy). */
  x: [number, number, number, number];
  /** [kh, kw, in, out] as tf.conv2d takes it; for transposed, [kh, kw, outChannels, inChannels]. */
  w: [number, number, number, number];
  strides: [number, number];
  pad: 'same' | 'valid';
  transposed?: boolean;
  dilations?: [number, number];
}

const CASES: ConvCase[] = [
  { name: 'G Conv2DTranspose 7×7×256→14×14×128 (3×3 s2 same)', x: [2, 7, 7, 256], w: [3, 3, 128, 256], strides: [2, 2], pad: 'same', transposed: true },
  { name: 'G Conv2DTranspose 14×14×128→14×14×64 (3×3 s1 same)', x: [2, 14, 14, 128], w: [3, 3, 64, 128], strides: [1, 1], pad: 'same', transposed: true },
  { name: 'G Conv2DTranspose 14×14×64→28×28×1 (3×3 s2 same)', x: [2, 14, 14, 64], w: [3, 3, 1, 64], strides: [2, 2], pad: 'same', transposed: true },
  { name: 'D Conv2D 28×28×1→14×14×32 (3×3 s2 same)', x: [2, 28, 28, 1], w: [3, 3, 1, 32], strides: [2, 2], pad: 'same' },
  { name: 'D Conv2D 14×14×32→7×7×64 (3×3 s2 same)', x: [2, 14, 14, 32], w: [3, 3, 32, 64], strides: [2, 2], pad: 'same' },
  { name: 'D Conv2D 7×7×64→4×4×128 (3×3 s2 same)', x: [2, 7, 7, 64], w: [3, 3, 64, 128], strides: [2, 2], pad: 'same' },
  { name: 'CGAN D Conv2D 28×28×2→14×14×64 (3×3 s2 same)', x: [2, 28, 28, 2], w: [3, 3, 2, 64], strides: [2, 2], pad: 'same' },
  { name: 'batch 1, 5×5 valid, stride 1, non-square', x: [1, 9, 12, 3], w: [5, 5, 3, 5], strides: [1, 1], pad: 'valid' },
  { name: '2×4 kernel, strides 2×3, valid, odd channels', x: [3, 10, 11, 6], w: [2, 4, 6, 3], strides: [2, 3], pad: 'valid' },
  { name: '5×3 kernel, stride 1, same, 7 filters', x: [2, 8, 9, 5], w: [5, 3, 5, 7], strides: [1, 1], pad: 'same' },
  { name: 'dilation 2, same', x: [2, 9, 9, 4], w: [3, 3, 4, 8], strides: [1, 1], pad: 'same', dilations: [2, 2] },
  { name: 'Conv2DTranspose 5×5 s2 valid, non-square', x: [2, 4, 5, 3], w: [5, 5, 2, 3], strides: [2, 2], pad: 'valid', transposed: true },
  { name: 'Conv2DTranspose 4×4 s2 same, 1 input channel', x: [3, 5, 6, 1], w: [4, 4, 5, 1], strides: [2, 2], pad: 'same', transposed: true },
];

/** Output shape of the transposed convolution (Keras's rule for 'same' and 'valid'). */
function transposedShape(c: ConvCase): [number, number, number, number] {
  const [n, h, w] = c.x;
  const [kh, kw, out] = c.w;
  const [sh, sw] = c.strides;
  return c.pad === 'same' ? [n, h * sh, w * sw, out] : [n, (h - 1) * sh + kh, (w - 1) * sw + kw, out];
}

/** y = conv(x, w), then ∂(Σ y·dy)/∂x and ∂/∂w with a fixed dy: forward, Conv2DBackpropInput, Conv2DBackpropFilter. */
function forwardAndGrads(c: ConvCase): tf.Tensor[] {
  const x = tf.tensor(uniformData(size(c.x), 1), c.x) as tf.Tensor4D;
  const w = tf.tensor(uniformData(size(c.w), 2, 0.2), c.w) as tf.Tensor4D;
  const conv = (a: tf.Tensor, b: tf.Tensor) =>
    c.transposed
      ? tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, transposedShape(c), c.strides, c.pad)
      : tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations ?? 1);
  const y = conv(x, w);
  const dy = tf.tensor(uniformData(y.size, 3), y.shape);
  // tfjs's conv2d gradient refuses dilations: forward only there.
  if (c.dilations) return [y];
  const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), dy)))([x, w]);
  return [y, gx, gw];
}

const useOwnConv2D = () => {
  tf.unregisterKernel(tf.Conv2D, 'wasm');
  tf.registerKernel({ kernelName: tf.Conv2D, backendName: 'wasm', kernelFunc: WASM_CONV_KERNELS.conv2d as tf.KernelFunc });
};

let stockConv2D: tf.KernelConfig;

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  installWasmKernelFixes();
  stockConv2D = tf.getKernel(tf.Conv2D, 'wasm')!;
});

afterAll(() => {
  if (tf.getKernel(tf.Conv2D, 'wasm') !== stockConv2D) {
    tf.unregisterKernel(tf.Conv2D, 'wasm');
    tf.registerKernel(stockConv2D);
  }
  uninstallWasmKernelFixes();
});

describe('wasm convolution equals cpu within 1e-4 relative', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const want = await valuesOn('cpu', () => forwardAndGrads(c));
      // Forward through XNNPACK (registered by default) and through Ganvas's own Conv2D; gradients are Ganvas's.
      const got = await valuesOn('wasm', () => forwardAndGrads(c));
      useOwnConv2D();
      let own: Float32Array[];
      try {
        own = await valuesOn('wasm', () => forwardAndGrads(c));
      } finally {
        tf.unregisterKernel(tf.Conv2D, 'wasm');
        tf.registerKernel(stockConv2D);
      }
      const errors = [...got, ...own].map((g, i) => relError(g, want[i % want.length]));
      for (const e of errors) expect(e).toBeLessThanOrEqual(1e-4);
    });
  }

  it('Conv2DBackpropFilter with explicit padding and strides 1×2 equals cpu', async () => {
    const attrs = { strides: [1, 2], pad: [[0, 0], [2, 1], [1, 2], [0, 0]], dataFormat: 'NHWC', filterShape: [3, 2, 4, 6] };
    const run = () => {
      const x = tf.tensor(uniformData(2 * 9 * 8 * 4, 5), [2, 9, 8, 4]);
      const info = tf.backend_util.computeConv2DInfo([2, 9, 8, 4], [3, 2, 4, 6], [1, 2], 1, attrs.pad as tf.backend_util.ExplicitPadding);
      const dy = tf.tensor(uniformData(size(info.outShape), 6), info.outShape);
      return [tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor];
    };
    const [want] = await valuesOn('cpu', run);
    const [got] = await valuesOn('wasm', run);
    expect(relError(got, want)).toBeLessThanOrEqual(1e-4);
  });
});

describe('the SIMD products equal their JS loops', () => {
  const heap = () => new Float32Array((tf.backend() as unknown as BackendWasm).wasm.HEAPU8.buffer);
  const offset = (t: tf.Tensor) => (tf.backend() as unknown as BackendWasm).dataIdMap.get(t.dataId)!.memoryOffset;

  it('runs SIMD here (else the kernels fall back to the loops and this compares the loops with themselves)', () => {
    expect(simdAvailable()).toBe(true);
    expect(wasmBackendMemory(tf.backend())).not.toBeNull();
  });

  const shapes: Array<{ kind: 'dot' | 'atb'; rows: number; s: GemmShape }> = [
    { kind: 'dot', rows: 12, s: { k: 36, n: 10, lda: 40, ldb: 36, ldc: 14 } },
    { kind: 'dot', rows: 4, s: { k: 4, n: 2, lda: 4, ldb: 4, ldc: 2 } },
    { kind: 'atb', rows: 37, s: { k: 12, n: 16, lda: 12, ldb: 24, ldc: 16 } },
    { kind: 'atb', rows: 1, s: { k: 4, n: 8, lda: 8, ldb: 8, ldc: 8 } },
  ];
  for (const { kind, rows, s } of shapes) {
    it(`${kind} ${rows} rows ${JSON.stringify(s)}`, async () => {
      await tf.setBackend('wasm');
      const memory = wasmBackendMemory(tf.backend())!;
      const aLen = kind === 'dot' ? rows * s.lda : rows * s.lda;
      const bLen = kind === 'dot' ? s.n * s.ldb : rows * s.ldb;
      const cLen = kind === 'dot' ? rows * s.ldc : s.k * s.ldc;
      const [a, b] = [tf.tensor(uniformData(aLen, 7)), tf.tensor(uniformData(bLen, 8))];
      const c0 = uniformData(cLen, 9);
      const [c1, c2] = [tf.tensor(c0), tf.tensor(c0)];
      if (kind === 'dot') {
        dotKernel(memory, s)(offset(a), offset(b), offset(c1), rows / 4);
        dotLoop(heap(), s)(offset(a), offset(b), offset(c2), rows / 4);
      } else {
        atbKernel(memory, s)(offset(a), offset(b), offset(c1), rows);
        atbLoop(heap(), s)(offset(a), offset(b), offset(c2), rows);
      }
      const [simd, loop] = [await c1.data(), await c2.data()] as Float32Array[];
      expect(relError(simd as Float32Array, loop as Float32Array)).toBeLessThanOrEqual(1e-6);
      // Columns past n (row padding) are left as they were.
      if (kind === 'dot' && s.ldc > s.n) expect(simd[s.n]).toBe(c0[s.n]);
      tf.dispose([a, b, c1, c2]);
    });
  }
});

describe('training convolutions on wasm', () => {
  it('keeps tf.memory().numTensors and the backend heap table flat over 40 Adam steps of a small DCGAN-shaped G and D', async () => {
    await tf.setBackend('wasm');
    const v = (shape: number[], seed: number) => tf.variable(tf.tensor(uniformData(size(shape), seed, 0.2), shape));
    const g = { w1: v([3, 3, 8, 16], 1), w2: v([3, 3, 1, 8], 2), gamma: v([8], 3), beta: v([8], 4) };
    const d = { w1: v([3, 3, 1, 8], 5), w2: v([3, 3, 8, 16], 6), dense: v([4 * 4 * 16, 1], 7) };
    // One optimizer per network: tfjs's Adam keys its moments by position in the list.
    const [dOptimizer, gOptimizer] = [tf.train.adam(1e-3, 0.5, 0.999, 1e-7), tf.train.adam(1e-3, 0.5, 0.999, 1e-7)];
    const generate = (z: tf.Tensor) => {
      let h = tf.conv2dTranspose(tf.reshape(z, [4, 4, 4, 16]) as tf.Tensor4D, g.w1, [4, 8, 8, 8], 2, 'same');
      const { mean, variance } = tf.moments(h, [0, 1, 2]);
      h = tf.leakyRelu(tf.add(tf.mul(tf.mul(tf.sub(h, mean), tf.rsqrt(tf.add(variance, 1e-3))), g.gamma), g.beta), 0.01);
      return tf.tanh(tf.conv2dTranspose(h as tf.Tensor4D, g.w2, [4, 16, 16, 1], 2, 'same'));
    };
    const discriminate = (x: tf.Tensor) => {
      const h = tf.leakyRelu(tf.conv2d(tf.leakyRelu(tf.conv2d(x as tf.Tensor4D, d.w1, 2, 'same'), 0.01), d.w2, 2, 'same'), 0.01);
      return tf.sigmoid(tf.matMul(tf.reshape(h, [4, 256]), d.dense));
    };
    const step = (i: number) =>
      tf.tidy(() => {
        const z = tf.tensor(uniformData(4 * 256, 100 + i), [4, 256]);
        const real = tf.tensor(uniformData(4 * 256, 200 + i), [4, 16, 16, 1]);
        const dLoss = () => tf.add(tf.mean(tf.neg(tf.log(tf.add(discriminate(real), 1e-7)))), tf.mean(tf.neg(tf.log(tf.sub(1 + 1e-7, discriminate(generate(z))))))) as tf.Scalar;
        dOptimizer.applyGradients(tf.variableGrads(dLoss, Object.values(d)).grads);
        const gLoss = () => tf.mean(tf.neg(tf.log(tf.add(discriminate(generate(z)), 1e-7)))) as tf.Scalar;
        gOptimizer.applyGradients(tf.variableGrads(gLoss, Object.values(g)).grads);
      });
    const heapTable = () => tf.backend().numDataIds();
    step(0); // Adam's moments are created on the first step.
    const [tensors, table] = [tf.memory().numTensors, heapTable()];
    for (let i = 1; i < 40; i++) step(i);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(heapTable()).toBe(table);
    dOptimizer.dispose();
    gOptimizer.dispose();
    tf.dispose([...Object.values(g), ...Object.values(d)]);
  });
});
