// @vitest-environment node
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniformData } from '../testing/fixtures';
import { LEAKY_RELU_GRAD, leakyReluGradLoop, registerLeakyReluGrad } from './leakyReluGrad';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from './wasmMatMul';

// In Node the wasm backend finds its .wasm binaries next to its own bundle, so no setWasmPaths.

const BACKENDS = ['cpu', 'wasm'];
const ALPHAS = [0.2, 0.01, 0.3];
const SHAPES: number[][] = [[1], [3], [4], [5], [7], [8], [130], [3, 43], [2, 3, 5]];
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const bitsOf = (x: Float32Array) => Array.from(new Uint32Array(x.slice().buffer));

/** Inputs with 0, −0, NaN, ±Inf, ±denormals and negatives placed through the SIMD part and the tail. */
function xValues(n: number, seed: number): Float32Array {
  const v = uniformData(n, seed, 3);
  const specials = [0, -0, NaN, -1, Infinity, -Infinity, 1e-45, -1e-45, -2.5, 2.5];
  for (let i = 0; i < n; i++) if (i % 3 === 0) v[i] = specials[(i / 3) % specials.length];
  return v;
}

/** The upstream gradient: for sum(leakyRelu(x)·w) it is w (times ones), exact. Includes zeros and both signs. */
function wValues(n: number, seed: number): Float32Array {
  const w = uniformData(n, seed, 2);
  for (let i = 5; i < n; i += 7) w[i] = 0;
  return w;
}

type Case = { shape: number[]; alpha: number; x: Float32Array; w: Float32Array };
const CASES: Case[] = SHAPES.flatMap((shape, s) =>
  ALPHAS.map((alpha, a) => ({ shape, alpha, x: xValues(size(shape), 10 * s + a + 1), w: wValues(size(shape), 100 + 10 * s + a) })),
);
const label = (c: Case) => `${JSON.stringify(c.shape)} α=${c.alpha}`;

/** d/dx sum(leakyRelu(x, α)·w) through tf.grad on the current backend. */
function gradient(c: Case): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor(c.x, c.shape);
    const w = tf.tensor(c.w, c.shape);
    return tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(xx, c.alpha), w)))(x).dataSync() as Float32Array;
  });
}

/** tfjs 4.22's own formula, with the upstream gradient dy = w. */
function stockFormula(c: Case): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor(c.x, c.shape);
    const dy = tf.tensor(c.w, c.shape);
    return tf.where(tf.greater(x, 0), dy, tf.mul(dy, c.alpha)).dataSync() as Float32Array;
  });
}

/** Gradients from tfjs's own registered gradient, taken before registerLeakyReluGrad() replaces it. */
const stockGradients = new Map<string, Float32Array[]>();

beforeAll(async () => {
  installWasmKernelFixes();
  for (const backend of BACKENDS) {
    expect(await tf.setBackend(backend)).toBe(true);
    expect(tf.getKernel(LEAKY_RELU_GRAD, backend)).toBeUndefined();
    stockGradients.set(backend, CASES.map(gradient));
  }
  registerLeakyReluGrad();
});

afterAll(() => {
  uninstallWasmKernelFixes();
});

for (const backend of BACKENDS) {
  describe(`LeakyRelu gradient on ${backend}`, () => {
    it('is registered for this backend', async () => {
      await tf.setBackend(backend);
      expect(tf.getKernel(LEAKY_RELU_GRAD, backend)).toBeDefined();
    });

    CASES.forEach((c, k) => {
      it(`${label(c)}: bitwise equal to where(greater(x, 0), dy, mul(dy, α)) and to tfjs's own gradient`, async () => {
        await tf.setBackend(backend);
        const got = gradient(c);
        expect(got.length).toBe(c.x.length);
        expect(bitsOf(got)).toEqual(bitsOf(stockFormula(c)));
        expect(bitsOf(got)).toEqual(bitsOf(stockGradients.get(backend)![k]));
        // And the rule itself: x > 0 ? dy : dy·fround(α).
        const a = Math.fround(c.alpha);
        expect(bitsOf(got)).toEqual(bitsOf(c.x.map((x, i) => (x > 0 ? c.w[i] : c.w[i] * a))));
      });
    });

    it('runs one GanvasLeakyReluGrad kernel and no Greater/Select', async () => {
      await tf.setBackend(backend);
      const c = CASES.find((cc) => cc.shape.length === 2)!;
      const x = tf.tensor(c.x, c.shape);
      const w = tf.tensor(c.w, c.shape);
      const profile = await tf.profile(() => tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(xx, c.alpha), w)))(x));
      const names = profile.kernels.map((kk) => kk.name);
      expect(names.filter((n) => n === LEAKY_RELU_GRAD)).toHaveLength(1);
      expect(names).not.toContain('Greater');
      expect(names).not.toContain('Select');
      expect(names).not.toContain('SelectV2');
      tf.dispose([x, w, profile.result as tf.Tensor]);
    });

    it('keeps numTensors, numDataBuffers and backend data ids flat over repeated gradients', async () => {
      await tf.setBackend(backend);
      const c = CASES[CASES.length - 1];
      const x = tf.tensor(c.x, c.shape);
      const w = tf.tensor(c.w, c.shape);
      const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(xx, c.alpha), w)));
      tf.tidy(() => {
        g(x);
      }); // warm-up
      const before = { ...tf.memory(), ids: tf.engine().backend.numDataIds() };
      for (let i = 0; i < 20; i++) {
        tf.tidy(() => {
          g(x);
        });
      }
      for (let i = 0; i < 5; i++) g(x).dispose();
      const after = { ...tf.memory(), ids: tf.engine().backend.numDataIds() };
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numDataBuffers).toBe(before.numDataBuffers);
      expect(after.ids).toBe(before.ids);
      tf.dispose([x, w]);
    });
  });
}

describe('GanvasLeakyReluGrad', () => {
  it('gives the same bits on cpu and wasm', async () => {
    for (const c of CASES) {
      const out: number[][] = [];
      for (const backend of BACKENDS) {
        await tf.setBackend(backend);
        out.push(bitsOf(gradient(c)));
      }
      expect(out[1], label(c)).toEqual(out[0]);
    }
  });

  it('runs directly through the engine with the dy/x inputs and the alpha attr', async () => {
    for (const backend of BACKENDS) {
      await tf.setBackend(backend);
      const c = CASES[CASES.length - 1];
      const dy = tf.tensor(c.w, c.shape);
      const x = tf.tensor(c.x, c.shape);
      const dx = tf.engine().runKernel(LEAKY_RELU_GRAD, { dy, x }, { alpha: c.alpha }) as tf.Tensor;
      expect(dx.shape).toEqual(c.shape);
      expect(dx.dtype).toBe('float32');
      const want = new Float32Array(c.x.length);
      leakyReluGradLoop(c.w, c.x, want, c.alpha);
      expect(bitsOf(dx.dataSync() as Float32Array)).toEqual(bitsOf(want));
      tf.dispose([dy, x, dx]);
    }
  });

  it('registerLeakyReluGrad is idempotent', async () => {
    const kernels = ['cpu', 'wasm', 'webgl'].map((b) => tf.getKernel(LEAKY_RELU_GRAD, b));
    expect(kernels.every((k) => k != null)).toBe(true);
    const grad = tf.getGradient(tf.LeakyRelu);
    registerLeakyReluGrad();
    registerLeakyReluGrad();
    expect(['cpu', 'wasm', 'webgl'].map((b) => tf.getKernel(LEAKY_RELU_GRAD, b))).toEqual(kernels);
    expect(tf.getGradient(tf.LeakyRelu)).toBe(grad);
    // Still one fused kernel per gradient, and the same values.
    for (const backend of BACKENDS) {
      await tf.setBackend(backend);
      const c = CASES[4];
      const x = tf.tensor(c.x, c.shape);
      const w = tf.tensor(c.w, c.shape);
      const profile = await tf.profile(() => tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(xx, c.alpha), w)))(x));
      expect(profile.kernels.filter((kk) => kk.name === LEAKY_RELU_GRAD)).toHaveLength(1);
      expect(bitsOf(gradient(c))).toEqual(bitsOf(stockGradients.get(backend)![4]));
      tf.dispose([x, w, profile.result as tf.Tensor]);
    }
  });
});
