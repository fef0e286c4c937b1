// @vitest-environment node
// Ganvas's wasm convolution kernels against tfjs's cpu backend: forward, both gradients, and Conv2DTranspose, on the
// DCGAN and CGAN presets' shapes (small batches) and on odd ones; the SIMD products against their JS loops.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniformData } from '../testing/fixtures';
import { CONV_CASES, forwardAndGrads, relError, size } from '../testing/gradientCases';
import { wasmBackendMemory } from './wasmAsm';
import { WASM_CONV_KERNELS } from './wasmConv';
import { atbKernel, atbLoop, dotKernel, dotLoop, simdAvailable, type GemmShape } from './wasmGemm';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from './wasmMatMul';


async function valuesOn(backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outs = tf.tidy(f);
  const values = await Promise.all(outs.map((o) => o.data() as Promise<Float32Array>));
  tf.dispose(outs);
  expect(tf.memory().numTensors).toBe(before);
  return values;
}

const useOwnConv2D = () => {
  tf.unregisterKernel(tf.Conv2D, 'wasm');
  tf.registerKernel({ kernelName: tf.Conv2D, backendName: 'wasm', kernelFunc: WASM_CONV_KERNELS.conv2d as tf.KernelFunc });
};

let registeredConv2D: tf.KernelConfig;

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  installWasmKernelFixes();
  registeredConv2D = tf.getKernel(tf.Conv2D, 'wasm')!;
});

afterAll(() => {
  if (tf.getKernel(tf.Conv2D, 'wasm') !== registeredConv2D) {
    tf.unregisterKernel(tf.Conv2D, 'wasm');
    tf.registerKernel(registeredConv2D);
  }
  uninstallWasmKernelFixes();
});

describe('wasm convolution equals cpu within 1e-4 relative', () => {
  for (const c of CONV_CASES) {
    it(c.name, async () => {
      const want = await valuesOn('cpu', () => forwardAndGrads(c));
      // Forward through the registered Conv2D (XNNPACK for shallow windows, Ganvas's for deep ones) and through
      // Ganvas's own for every shape; the gradients are Ganvas's.
      const got = await valuesOn('wasm', () => forwardAndGrads(c));
      useOwnConv2D();
      let own: Float32Array[];
      try {
        own = await valuesOn('wasm', () => forwardAndGrads(c));
      } finally {
        tf.unregisterKernel(tf.Conv2D, 'wasm');
        tf.registerKernel(registeredConv2D);
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
  const heap = () => new Float32Array((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer);
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
    const v = <R extends tf.Rank>(shape: number[], seed: number) => tf.variable(tf.tensor(uniformData(size(shape), seed, 0.2), shape)) as unknown as tf.Variable<R>;
    const g = { w1: v<tf.Rank.R4>([3, 3, 8, 16], 1), w2: v<tf.Rank.R4>([3, 3, 1, 8], 2), gamma: v([8], 3), beta: v([8], 4) };
    const d = { w1: v<tf.Rank.R4>([3, 3, 1, 8], 5), w2: v<tf.Rank.R4>([3, 3, 8, 16], 6), dense: v([4 * 4 * 16, 1], 7) };
    // One optimizer per network: tfjs's Adam keys its moments by position in the list.
    const [dOptimizer, gOptimizer] = [tf.train.adam(1e-3, 0.5, 0.999, 1e-7), tf.train.adam(1e-3, 0.5, 0.999, 1e-7)];
    const generate = (z: tf.Tensor) => {
      let h = tf.conv2dTranspose(tf.reshape(z, [4, 4, 4, 16]) as tf.Tensor4D, g.w1, [4, 8, 8, 8], 2, 'same');
      const { mean, variance } = tf.moments(h, [0, 1, 2]);
      h = tf.leakyRelu(tf.add(tf.mul(tf.mul(tf.sub(h, mean), tf.rsqrt(tf.add(variance, 1e-3))), g.gamma), g.beta), 0.01) as tf.Tensor4D;
      return tf.tanh(tf.conv2dTranspose(h as tf.Tensor4D, g.w2, [4, 16, 16, 1], 2, 'same')) as tf.Tensor4D;
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
        dOptimizer.minimize(dLoss, false, Object.values(d));
        const gLoss = () => tf.mean(tf.neg(tf.log(tf.add(discriminate(generate(z)), 1e-7)))) as tf.Scalar;
        gOptimizer.minimize(gLoss, false, Object.values(g));
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
