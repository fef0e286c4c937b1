// @vitest-environment node
// Every kernel the DCGAN's and the CGAN's gradients reach exists on wasm (with Ganvas's kernels installed) and gives
// cpu's values: Conv2D, Conv2DTranspose, batch norm as the engine writes it (moments, rsqrt, …) and as tf.batchNorm,
// Dropout, Reshape/Flatten, Embedding (gather → UnsortedSegmentSum), Multiply, Concatenate (→ slice), Add, LeakyReLU,
// sigmoid + BCE. A kernel missing on wasm throws "Kernel '…' not registered for backend 'wasm'", failing the test.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAD_CASES, gradsOf, relError, type GradCase } from '../testing/gradientCases';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from './wasmMatMul';

async function gradsOn(backend: string, c: GradCase): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const grads = gradsOf(c);
  const values = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
  tf.dispose(grads);
  expect(tf.memory().numTensors).toBe(before);
  return values;
}

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  installWasmKernelFixes();
});
afterAll(() => uninstallWasmKernelFixes());

describe('gradients on wasm: every kernel exists and equals cpu within 1e-4', () => {
  for (const c of GRAD_CASES) {
    it(c.name, async () => {
      const want = await gradsOn('cpu', c);
      const got = await gradsOn('wasm', c);
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => expect(relError(g, want[i])).toBeLessThanOrEqual(1e-4));
    });
  }
});

describe('tf.layers on wasm', () => {
  it('Conv2D, Conv2DTranspose, BatchNormalization, Dropout, Embedding, Multiply, Concatenate, Add, Flatten and Reshape layers train', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const label = tf.input({ shape: [1] });
    const z = tf.input({ shape: [8] });
    const e = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: 10, outputDim: 8 }).apply(label)) as tf.SymbolicTensor;
    let h = tf.layers.multiply().apply([z, e]) as tf.SymbolicTensor;
    h = tf.layers.reshape({ targetShape: [2, 2, 2] }).apply(tf.layers.dense({ units: 8 }).apply(h)) as tf.SymbolicTensor;
    h = tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization({ momentum: 0.99, epsilon: 1e-3 }).apply(h) as tf.SymbolicTensor;
    const side = tf.layers.conv2d({ filters: 3, kernelSize: 1, padding: 'same' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.add().apply([h, side]) as tf.SymbolicTensor;
    h = tf.layers.concatenate({ axis: -1 }).apply([h, side]) as tf.SymbolicTensor;
    h = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.dropout({ rate: 0.3, seed: 1 }).apply(h) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(tf.layers.flatten().apply(h)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [z, label], outputs: out });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
    const xs = [tf.randomNormal([4, 8]), tf.tensor2d([[3], [1], [3], [9]])];
    const ys = tf.ones([4, 1]);
    const history = await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(history.history.loss.every((l) => Number.isFinite(l as number))).toBe(true);
    tf.dispose([...xs, ys]);
    model.optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
