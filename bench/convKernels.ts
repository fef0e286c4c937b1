/**
 * Convolution kernel timings on Node wasm at the DCGAN presets' shapes (batch 128 unless BATCH is set): each of
 * Ganvas's kernels beside the alternative in the same process — XNNPACK's Conv2D, tfjs's stock Conv2DBackpropInput,
 * and (for Conv2DBackpropFilter, which stock wasm lacks) tfjs's cpu backend.
 *
 *   npx tsx bench/convKernels.ts        (RUNS=5 by default, BATCH=128, CPU=0 skips the cpu backend; each call timed
 *                                        through a read-back)
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from '../src/kernels/wasmMatMul';
import { WASM_CONV_KERNELS } from '../src/kernels/wasmConv';
import { timeOp } from './timing';

const RUNS = Number(process.env.RUNS ?? 5);
const BATCH = Number(process.env.BATCH ?? 128);
const CPU = process.env.CPU !== '0';

interface Shape {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  stride: number;
}
// x is the forward convolution's input; for G's transposed convolutions the forward pass is Conv2DBackpropInput.
const SHAPES: Shape[] = [
  { name: 'G convT 7×7×256→14×14×128', x: [BATCH, 14, 14, 128], w: [3, 3, 128, 256], stride: 2 },
  { name: 'G convT 14×14×128→14×14×64', x: [BATCH, 14, 14, 64], w: [3, 3, 64, 128], stride: 1 },
  { name: 'G convT 14×14×64→28×28×1', x: [BATCH, 28, 28, 1], w: [3, 3, 1, 64], stride: 2 },
  { name: 'D conv 28×28×1→14×14×32', x: [BATCH, 28, 28, 1], w: [3, 3, 1, 32], stride: 2 },
  { name: 'D conv 14×14×32→7×7×64', x: [BATCH, 14, 14, 32], w: [3, 3, 32, 64], stride: 2 },
  { name: 'D conv 7×7×64→4×4×128', x: [BATCH, 7, 7, 64], w: [3, 3, 64, 128], stride: 2 },
  { name: 'CGAN D conv 28×28×2→14×14×64', x: [BATCH, 28, 28, 2], w: [3, 3, 2, 64], stride: 2 },
];

/** Median CPU ms per call (see timing.ts); one cold call for the alternatives that take seconds. */
const time = (f: () => tf.Tensor, runs = RUNS, warmUp = true) => timeOp(f, { runs, warmup: warmUp ? 1 : 0, clock: 'cpu' });

const backpropFilter = (x: tf.Tensor, dy: tf.Tensor, s: Shape) =>
  tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: s.stride, pad: 'same', dataFormat: 'NHWC', filterShape: s.w }) as tf.Tensor;

async function main(): Promise<void> {
  const rows: string[] = ['| shape (batch ' + BATCH + ') | op | Ganvas wasm CPU ms | alternative CPU ms | alternative |', '| --- | --- | --- | --- | --- |'];
  for (const s of SHAPES) {
    await tf.setBackend('wasm');
    const x = tf.randomUniform(s.x, -1, 1) as tf.Tensor4D;
    const w = tf.randomUniform(s.w, -0.1, 0.1) as tf.Tensor4D;
    const y = tf.conv2d(x, w, s.stride, 'same');
    const dy = tf.randomUniform(y.shape, -1, 1) as tf.Tensor4D;
    const fwd = () => tf.conv2d(x, w, s.stride, 'same');
    const bwdIn = () => tf.conv2dTranspose(dy, w, s.x, s.stride, 'same');
    const bwdFilter = () => backpropFilter(x, dy, s);

    uninstallWasmKernelFixes();
    const xnn = await time(fwd);
    // Stock kernels are scalar loops with nothing to compile: one cold call.
    const stockIn = await time(bwdIn, 1, false);
    installWasmKernelFixes();
    const original = tf.getKernel(tf.Conv2D, 'wasm')!;
    tf.unregisterKernel(tf.Conv2D, 'wasm');
    tf.registerKernel({ kernelName: tf.Conv2D, backendName: 'wasm', kernelFunc: WASM_CONV_KERNELS.conv2d as tf.KernelFunc });
    const mineFwd = await time(fwd);
    tf.unregisterKernel(tf.Conv2D, 'wasm');
    tf.registerKernel(original);
    const mineIn = await time(bwdIn);
    const mineFilter = await time(bwdFilter);
    let cpuFilter = Number.NaN;
    if (CPU) {
      const [xv, dyv] = [await x.data(), await dy.data()];
      await tf.setBackend('cpu');
      const [xc, dyc] = [tf.tensor(xv, s.x) as tf.Tensor4D, tf.tensor(dyv, dy.shape) as tf.Tensor4D];
      cpuFilter = await time(() => backpropFilter(xc, dyc, s), 1, false);
      tf.dispose([xc, dyc]);
      await tf.setBackend('wasm');
    }
    tf.dispose([x, w, y, dy]);
    const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
    rows.push(`| ${s.name} | Conv2D | ${f(mineFwd)} | ${f(xnn)} | XNNPACK (tfjs wasm) |`);
    rows.push(`| ${s.name} | Conv2DBackpropInput | ${f(mineIn)} | ${f(stockIn)} | tfjs wasm (1 cold call) |`);
    rows.push(`| ${s.name} | Conv2DBackpropFilter | ${f(mineFilter)} | ${f(cpuFilter)} | tfjs cpu (1 cold call; stock wasm has none) |`);
    console.error(rows.slice(-3).join('\n'));
  }
  console.log(rows.join('\n'));
}

await main();
