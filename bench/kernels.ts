/**
 * Kernel micro-benchmarks for the wasm backend, before/after
 * installWasmKernelFixes() in the same process.
 *
 *   npx tsx bench/kernels.ts
 *
 * Each case: 5 warm-up runs, then the median of RUNS runs, each timed through
 * `await t.data()` so the kernel work (synchronous on wasm) is included.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  installWasmKernelFixes,
  uninstallWasmKernelFixes,
} from '../src/kernels/wasmMatMul';
import { timeOp } from './timing';

const WARMUP = 5;
const RUNS = Number(process.env.RUNS ?? 30);

const median = (f: () => tf.Tensor) => timeOp(f, { runs: RUNS, warmup: WARMUP, clock: 'wall' });

interface Case {
  name: string;
  run: () => tf.Tensor;
}

function cases(): { cases: Case[]; inputs: tf.Tensor[] } {
  const x = tf.randomNormal([128, 784]); // batch × 784 (images / G output)
  const xT = tf.randomNormal([784, 128]);
  const w = tf.randomNormal([784, 128], 0, 0.05); // Dense 784→128 kernel
  const wT = tf.randomNormal([128, 784], 0, 0.05);
  const dy = tf.randomNormal([128, 128]); // gradient at the Dense 784→128 output
  const list: Case[] = [];
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      list.push({
        name: `matMul 128×784·784×128 tA=${tA ? 1 : 0} tB=${tB ? 1 : 0}`,
        run: () => tf.matMul(tA ? xT : x, tB ? wT : w, tA, tB),
      });
    }
  }
  // Plain matMul with a B that is new every call, like weights that change
  // every training step: includes XNNPACK weight packing (the cached-B rows
  // above skip it). tf.clone is a wasm heap copy (~0.05 ms).
  list.push({
    name: 'matMul 128×784·784×128 plain, fresh B',
    run: () => tf.tidy(() => tf.matMul(x, tf.clone(w))),
  });
  // The two backward matmuls of Dense(784→128) as tfjs' MatMul gradient issues them.
  list.push({ name: 'grad dW = xᵀ·dy (784×128, tA)', run: () => tf.matMul(x, dy, true, false) });
  list.push({ name: 'grad dx = dy·Wᵀ (128×784, tB)', run: () => tf.matMul(dy, w, false, true) });
  list.push({
    name: 'fused matMul+bias+relu tB=1',
    run: () => tf.fused.matMul({ a: x, b: wT, transposeB: true, bias: tf.zeros([128]), activation: 'relu' }),
  });
  const t = tf.randomNormal([128, 784], 0, 3);
  list.push({ name: 'tanh 128×784', run: () => tf.tanh(t) });
  return { cases: list, inputs: [x, xT, w, wT, dy, t] };
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const { cases: list, inputs } = cases();

  uninstallWasmKernelFixes(); // in case something installed them already
  const before: number[] = [];
  for (const c of list) before.push(await median(c.run));

  installWasmKernelFixes();
  const after: number[] = [];
  for (const c of list) after.push(await median(c.run));

  const pad = Math.max(...list.map((c) => c.name.length));
  console.log(`wasm backend, tfjs ${tf.version.tfjs}, median of ${RUNS} runs (ms)`);
  console.log(`${'case'.padEnd(pad)}  ${'before'.padStart(8)}  ${'after'.padStart(8)}  speed-up`);
  list.forEach((c, i) => {
    const speedup = before[i] / after[i];
    console.log(
      `${c.name.padEnd(pad)}  ${before[i].toFixed(3).padStart(8)}  ${after[i].toFixed(3).padStart(8)}  ${speedup.toFixed(1).padStart(6)}×`,
    );
  });
  tf.dispose(inputs);
}

await main();
