// @vitest-environment node
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniformData } from '../testing/fixtures';
import { wasmBackendMemory } from './wasmAsm';
import { gemmKernel } from './wasmGemm';
import {
  installWasmKernelFixes,
  tanhRational,
  uninstallWasmKernelFixes,
  wasmKernelFixesInstalled,
} from './wasmMatMul';

// In Node the wasm backend finds its .wasm binaries next to its own bundle
// (node_modules/@tensorflow/tfjs-backend-wasm/dist/), so no setWasmPaths.

const data = uniformData;

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs f on the given backend with fresh tensors built from `inputs`; returns flat values. */
async function runOn(
  backend: string,
  inputs: Array<{ values: Float32Array; shape: number[] }>,
  f: (...ts: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const ts = inputs.map((i) => tf.tensor(i.values, i.shape, 'float32'));
  const out = f(...ts);
  const outs = Array.isArray(out) ? out : [out];
  const vals = await Promise.all(outs.map((o) => o.data() as Promise<Float32Array>));
  tf.dispose([...ts, ...outs]);
  return vals;
}

/**
 * |actual - expected| ≤ rtol · max|expected| (+ tiny atol). Relative to the
 * output's scale, not per element: entries that cancel to ~0 carry the
 * summation-order rounding of their (large) terms.
 */
function expectClose(actual: Float32Array, expected: Float32Array, rtol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  expect(worst).toBeLessThanOrEqual(rtol * scale + 1e-12);
}

async function compareCpuWasm(
  inputs: Array<{ values: Float32Array; shape: number[] }>,
  f: (...ts: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  rtol = 1e-5,
): Promise<void> {
  const ref = await runOn('cpu', inputs, f);
  const got = await runOn('wasm', inputs, f);
  expect(got.length).toBe(ref.length);
  got.forEach((g, i) => expectClose(g, ref[i], rtol));
}

function input(shape: number[], seed: number, scale = 1) {
  return { values: data(size(shape), seed, scale), shape };
}

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  installWasmKernelFixes();
});

afterAll(() => {
  uninstallWasmKernelFixes();
});

describe('installWasmKernelFixes', () => {
  it('is idempotent', () => {
    const before = tf.getKernel(tf.BatchMatMul, 'wasm');
    installWasmKernelFixes();
    installWasmKernelFixes();
    expect(tf.getKernel(tf.BatchMatMul, 'wasm')).toBe(before);
    expect(wasmKernelFixesInstalled()).toBe(true);
  });

  it('survives re-selecting the backend (setupFunc kept)', async () => {
    await tf.setBackend('cpu');
    await tf.setBackend('wasm');
    const [v] = await runOn('wasm', [input([3, 4], 1)], (a) => tf.matMul(a, a, false, true));
    expect(v.length).toBe(9);
  });
});

describe('BatchMatMul on wasm with the fix matches cpu', () => {
  // [m, k, n] for the product (m×k)·(k×n); includes the model's real shapes.
  const dims: Array<[number, number, number]> = [
    [128, 784, 128],
    [128, 128, 1],
    [784, 128, 128],
    [5, 7, 3],
    [1, 9, 1],
  ];
  for (const [m, k, n] of dims) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        it(`${m}×${k}·${k}×${n} transposeA=${tA} transposeB=${tB}`, async () => {
          const a = input(tA ? [k, m] : [m, k], 11);
          const b = input(tB ? [n, k] : [k, n], 23);
          await compareCpuWasm([a, b], (x, y) => tf.matMul(x, y, tA, tB));
        });
      }
    }
  }

  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      it(`batched 3D [4,…] transposeA=${tA} transposeB=${tB}`, async () => {
        const [batch, m, k, n] = [4, 16, 33, 10];
        const a = input(tA ? [batch, k, m] : [batch, m, k], 5);
        const b = input(tB ? [batch, n, k] : [batch, k, n], 6);
        await compareCpuWasm([a, b], (x, y) => tf.matMul(x, y, tA, tB));
      });
    }
  }
});

describe('_FusedMatMul on wasm with the fix matches cpu', () => {
  const activations: tf.fused.Activation[] = ['linear', 'relu', 'leakyrelu', 'sigmoid'];
  for (const activation of activations) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`bias + ${activation}, transposeA=${tA} transposeB=${tB}`, async () => {
        const [m, k, n] = [128, 784, 128];
        const a = input(tA ? [k, m] : [m, k], 7);
        const b = input(tB ? [n, k] : [k, n], 8, 0.1);
        const bias = input([n], 9);
        await compareCpuWasm([a, b, bias], (x, w, c) =>
          tf.fused.matMul({
            a: x,
            b: w,
            transposeA: tA,
            transposeB: tB,
            bias: c,
            activation,
            leakyreluAlpha: activation === 'leakyrelu' ? 0.01 : undefined,
          }),
        );
      });
    }
  }
});

describe('Dense-like gradients', () => {
  it('grads of sum(tanh(x·W + b)) match cpu', async () => {
    const x = input([128, 784], 1);
    const w = input([784, 128], 2, 0.08);
    const b = input([128], 3, 0.1);
    const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
      tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.tanh(tf.add(tf.matMul(xx, ww), bb))),
      )([xs, ws, bs]);
    await compareCpuWasm([x, w, b], f);
  });

  it('grads through fused matMul (linear + bias) then tanh match cpu', async () => {
    const x = input([128, 100], 4);
    const w = input([100, 784], 5, 0.1);
    const b = input([784], 6, 0.1);
    const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
      tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.tanh(tf.fused.matMul({ a: xx as tf.Tensor2D, b: ww as tf.Tensor2D, bias: bb }))),
      )([xs, ws, bs]);
    await compareCpuWasm([x, w, b], f);
  });
});

describe('Tanh', () => {
  it('rational tanh is within 1e-6 of Math.tanh, including large |x| and specials', () => {
    const n = 400_001;
    const src = new Float32Array(n + 8);
    for (let i = 0; i < n; i++) src[i] = -40 + (80 * i) / (n - 1);
    src.set([0, -0, 1e-30, -1e-30, 1e4, -1e4, 3.4e38, -3.4e38], n);
    const dst = new Float32Array(src.length);
    tanhRational(src, dst);
    let worst = 0;
    for (let i = 0; i < src.length; i++) {
      worst = Math.max(worst, Math.abs(dst[i] - Math.tanh(src[i])));
    }
    expect(worst).toBeLessThan(1e-6);
    expect(Object.is(dst[n + 1], -0)).toBe(true);

    const special = new Float32Array([Infinity, -Infinity, NaN]);
    const sOut = new Float32Array(3);
    tanhRational(special, sOut);
    expect(Math.abs(sOut[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(sOut[1] + 1)).toBeLessThan(1e-6);
    expect(sOut[2]).toBeNaN();
  });

  it('wasm tf.tanh with the fix matches cpu within 1e-6', async () => {
    const x = input([128, 784], 42, 12);
    const [ref] = await runOn('cpu', [x], (t) => tf.tanh(t));
    const [got] = await runOn('wasm', [x], (t) => tf.tanh(t));
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]));
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('no leaks', () => {
  it('numTensors / numDataBuffers / wasm data ids stay flat over 100 calls', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = tf.tensor(data(128 * 784, 1), [128, 784]);
    const w = tf.tensor(data(784 * 128, 2, 0.05), [784, 128]);
    const bias = tf.tensor(data(128, 3), [128]);
    const step = () => {
      tf.tidy(() => {
        tf.matMul(x, w, false, false);
        tf.matMul(x, x, true, false);
        tf.matMul(x, x, false, true);
        tf.matMul(w, x, true, true);
        tf.fused.matMul({ a: x, b: w, bias, activation: 'relu' });
        tf.fused.matMul({ a: w, b: x, transposeA: true, transposeB: true, bias, activation: 'linear' });
        tf.matMul(tf.reshape(x, [2, 64, 784]), tf.reshape(x, [2, 64, 784]), false, true);
        tf.tanh(x);
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.tanh(tf.matMul(a, b))))([x, w]);
      });
    };
    step(); // warm-up: first calls may allocate caches
    const before = { ...tf.memory(), ids: backend.numDataIds() };
    for (let i = 0; i < 100; i++) step();
    const after = { ...tf.memory(), ids: backend.numDataIds() };
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(after.ids).toBe(before.ids);
    tf.dispose([x, w, bias]);
  });
});

describe('uninstall', () => {
  it('restores the original kernels and reinstalls', () => {
    const fixed = tf.getKernel(tf.BatchMatMul, 'wasm');
    uninstallWasmKernelFixes();
    expect(wasmKernelFixesInstalled()).toBe(false);
    expect(tf.getKernel(tf.BatchMatMul, 'wasm')).not.toBe(fixed);
    installWasmKernelFixes();
    expect(wasmKernelFixesInstalled()).toBe(true);
  });
});

describe('Identity on wasm shares the buffer', () => {
  const wasmBackend = () => tf.backend() as unknown as BackendWasm;

  it('tf.clone adds a reference, not a copy; the clone outlives its source and counts return to the start', async () => {
    await tf.setBackend('wasm');
    expect(wasmKernelFixesInstalled()).toBe(true);
    const start = { ...tf.memory(), ids: wasmBackend().numDataIds() };
    const values = data(1000, 77);
    const x = tf.tensor(values, [10, 100]);
    const c = tf.clone(x);
    expect(c.dataId).toBe(x.dataId);
    expect(c.shape).toEqual([10, 100]);
    expect(c.dtype).toBe('float32');
    expect(wasmBackend().numDataIds()).toBe(start.ids + 1);
    expect(tf.memory().numDataBuffers).toBe(start.numDataBuffers + 1);
    expect(tf.memory().numTensors).toBe(start.numTensors + 2);
    x.dispose();
    // A fresh allocation of the same size would land on x's buffer had it been freed.
    const y = tf.tensor(new Float32Array(1000).fill(-7), [10, 100]);
    expect(c.isDisposed).toBe(false);
    expect(c.dataSync()).toEqual(values);
    expect(y.dataSync()).toEqual(new Float32Array(1000).fill(-7));
    // Kernels still read the clone's data.
    const doubled = tf.mul(c, 2);
    expect(doubled.dataSync()).toEqual(values.map((v) => v * 2));
    tf.dispose([c, y, doubled]);
    expect(tf.memory().numTensors).toBe(start.numTensors);
    expect(tf.memory().numDataBuffers).toBe(start.numDataBuffers);
    expect(wasmBackend().numDataIds()).toBe(start.ids);
  });

  it('disposing the clone first leaves the source intact; int32 and bool clones share too', async () => {
    await tf.setBackend('wasm');
    const start = { ...tf.memory(), ids: wasmBackend().numDataIds() };
    const values = data(64, 78);
    const x = tf.tensor(values, [64]);
    const ints = tf.tensor([1, -2, 3, 2147483647], [4], 'int32');
    const bools = tf.tensor([1, 0, 1], [3], 'bool');
    const inner = tf.clone(x);
    const clones = [inner, tf.clone(inner), tf.clone(ints), tf.clone(bools)];
    expect(clones.map((t) => t.dtype)).toEqual(['float32', 'float32', 'int32', 'bool']);
    expect(wasmBackend().numDataIds()).toBe(start.ids + 3);
    expect(Array.from(clones[2].dataSync())).toEqual([1, -2, 3, 2147483647]);
    expect(Array.from(clones[3].dataSync())).toEqual([1, 0, 1]);
    tf.dispose(clones);
    expect(x.dataSync()).toEqual(values);
    expect(Array.from(ints.dataSync())).toEqual([1, -2, 3, 2147483647]);
    expect(Array.from(bools.dataSync())).toEqual([1, 0, 1]);
    tf.dispose([x, ints, bools]);
    expect(tf.memory().numTensors).toBe(start.numTensors);
    expect(tf.memory().numDataBuffers).toBe(start.numDataBuffers);
    expect(wasmBackend().numDataIds()).toBe(start.ids);
  });

  it('tf.clone inside tf.tidy and gradients (which clone saved tensors) leak nothing', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(data(128 * 100, 79), [128, 100]);
    const step = () =>
      tf.tidy(() => {
        tf.clone(tf.clone(x));
        tf.grad((a: tf.Tensor) => tf.sum(tf.tanh(tf.leakyRelu(a, 0.2))))(x);
      });
    step();
    const before = { ...tf.memory(), ids: wasmBackend().numDataIds() };
    for (let i = 0; i < 10; i++) step();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    expect(wasmBackend().numDataIds()).toBe(before.ids);
    x.dispose();
  });
});

describe('BatchMatMul on wasm routes tiled 2-D float32 products to the A·Bᵀ kernel', () => {
  const offset = (t: tf.Tensor) => (tf.backend() as unknown as BackendWasm).dataIdMap.get(t.dataId)!.memoryOffset;
  const bitsOf = (t: tf.Tensor) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer);
  /** The first few elements whose bits differ (a compact failure message: vitest's diff of 100k-element arrays takes minutes). */
  const bitMismatches = (got: tf.Tensor, want: tf.Tensor): string[] => {
    const [g, w] = [bitsOf(got), bitsOf(want)];
    if (g.length !== w.length) return [`length ${g.length} vs ${w.length}`];
    const out: string[] = [];
    let count = 0;
    for (let i = 0; i < g.length; i++) {
      if (g[i] === w[i]) continue;
      if (++count <= 5) out.push(`[${i}] ${g[i].toString(16)} vs ${w[i].toString(16)}`);
    }
    if (count > 5) out.push(`… ${count} of ${g.length} differ`);
    return out;
  };

  /** C = A·Bᵀ straight through gemmKernel, for A [m,k] and B [n,k] on the heap. */
  function direct(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor {
    const [m, k] = a.shape;
    const n = b.shape[0];
    const memory = wasmBackendMemory(tf.backend());
    expect(memory).not.toBeNull();
    const gemm = gemmKernel(memory!, m, k, n);
    expect(gemm).not.toBeNull();
    const c = tf.tensor(new Float32Array(m * n).fill(NaN), [m, n]);
    gemm!(offset(a), offset(b), offset(c));
    return c;
  }

  // [m, k, n] for (m×k)·(k×n).
  const dims: Array<[number, number, number]> = [
    [128, 784, 128],
    [128, 128, 784],
    [784, 128, 128],
    [8, 12, 6],
  ];
  for (const [m, k, n] of dims) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        it(`${m}×${k}·${k}×${n} transposeA=${tA} transposeB=${tB}: bitwise equal to gemmKernel on row-major operands`, async () => {
          await tf.setBackend('wasm');
          expect(wasmKernelFixesInstalled()).toBe(true);
          const a = tf.tensor(data(m * k, 31), tA ? [k, m] : [m, k]) as tf.Tensor2D;
          const b = tf.tensor(data(k * n, 32, 0.1), tB ? [n, k] : [k, n]) as tf.Tensor2D;
          const got = tf.matMul(a, b, tA, tB);
          expect(got.shape).toEqual([m, n]);
          const aRows = tA ? tf.transpose(a) : a; // [m, k]
          const bRows = tB ? b : tf.transpose(b); // [n, k]
          const want = direct(aRows as tf.Tensor2D, bRows as tf.Tensor2D);
          expect(bitMismatches(got, want)).toEqual([]);
          tf.dispose([a, b, got, aRows, bRows, want]);
        });
      }
    }
  }

  it('the comparison discriminates: stock tfjs (XNNPACK) does not give the same bits at 128×784·784×128ᵀ', async () => {
    await tf.setBackend('wasm');
    const a = tf.tensor(data(128 * 784, 41), [128, 784]) as tf.Tensor2D;
    const b = tf.tensor(data(128 * 784, 42, 0.1), [128, 784]) as tf.Tensor2D;
    const fixed = tf.matMul(a, b, false, true);
    const want = direct(a, b);
    uninstallWasmKernelFixes();
    let stock: tf.Tensor;
    try {
      stock = tf.matMul(a, b, false, true);
    } finally {
      installWasmKernelFixes();
    }
    expect(bitMismatches(fixed, want)).toEqual([]);
    expect(bitMismatches(stock, want)).not.toEqual([]);
    // Still the same product to rounding.
    expectClose(stock.dataSync() as Float32Array, fixed.dataSync() as Float32Array);
    tf.dispose([a, b, fixed, want, stock]);
  });
});
