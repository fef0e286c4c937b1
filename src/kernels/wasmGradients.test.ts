// @vitest-environment node
// Every kernel the DCGAN's and the CGAN's gradients reach exists on wasm (with Ganvas's kernels installed) and gives
// cpu's values: Conv2D, Conv2DTranspose, batch norm as the engine writes it (moments, rsqrt, …) and as tf.batchNorm,
// Dropout, Reshape/Flatten, Embedding (gather → UnsortedSegmentSum), Multiply, Concatenate (→ slice), Add, LeakyReLU,
// sigmoid + BCE. A kernel missing on wasm throws "Kernel '…' not registered for backend 'wasm'", failing the test.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniformData } from '../testing/fixtures';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from './wasmMatMul';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const t = (shape: number[], seed: number, scale = 1) => tf.tensor(uniformData(size(shape), seed, scale), shape);

function relError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    const d = Math.abs(actual[i] - expected[i]);
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return scale === 0 ? worst : worst / scale;
}

/** A scalar loss of some inputs; the test takes its gradient with respect to all of them. */
interface GradCase {
  name: string;
  inputs: () => tf.Tensor[];
  loss: (...xs: tf.Tensor[]) => tf.Scalar;
}

const bnPlain = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-3))), gamma), beta);
};
const weights = (shape: number[], seed: number) => tf.tensor(uniformData(size(shape), seed, 0.3), shape);
const lossOf = (y: tf.Tensor) => tf.sum(tf.mul(y, weights(y.shape, 99)));
const ids = (values: number[]) => tf.tensor1d(values, 'int32');

const CASES: GradCase[] = [
  { name: 'Conv2D (s2 same) + bias', inputs: () => [t([2, 8, 8, 3], 1), t([3, 3, 3, 4], 2, 0.3), t([4], 3)], loss: (x, w, b) => lossOf(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'), b)) },
  { name: 'fused Conv2D (bias, linear)', inputs: () => [t([2, 8, 8, 3], 1), t([3, 3, 3, 4], 2, 0.3), t([4], 3)], loss: (x, w, b) => lossOf(tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 2, pad: 'same', bias: b })) },
  { name: 'Conv2DTranspose (s2 same) + bias', inputs: () => [t([2, 4, 4, 3], 1), t([3, 3, 5, 3], 2, 0.3), t([5], 3)], loss: (x, w, b) => lossOf(tf.add(tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 8, 5], 2, 'same'), b)) },
  { name: 'batch norm with moments / rsqrt / sub / mul / add', inputs: () => [t([4, 3, 3, 5], 1), t([5], 2), t([5], 3)], loss: (x, g, b) => lossOf(bnPlain(x, g, b)) },
  { name: 'tf.batchNorm (FusedBatchNorm) on batch moments', inputs: () => [t([4, 3, 3, 5], 1), t([5], 2), t([5], 3)], loss: (x, g, b) => { const { mean, variance } = tf.moments(x, [0, 1, 2]); return lossOf(tf.batchNorm(x, mean, variance, b, g, 1e-3)); } },
  { name: 'Dropout (seeded)', inputs: () => [t([4, 10], 1)], loss: (x) => lossOf(tf.dropout(x, 0.3, undefined, 7)) },
  { name: 'dropout as randomUniform / greater / where / mul', inputs: () => [t([4, 10], 1)], loss: (x) => lossOf(tf.where(tf.greater(tf.randomUniform(x.shape, 0, 1, 'float32', 5), 0.3), tf.mul(x, 1 / 0.7), tf.zerosLike(x))) },
  { name: 'Reshape / Flatten', inputs: () => [t([2, 3, 3, 2], 1)], loss: (x) => lossOf(tf.reshape(tf.square(tf.reshape(x, [2, 18])), [2, 3, 6])) },
  { name: 'Embedding (gather → UnsortedSegmentSum), repeated ids out of order', inputs: () => [t([10, 6], 1)], loss: (e) => lossOf(tf.gather(e, ids([7, 3, 3, 0, 9, 7, 7, 1]))) },
  { name: 'Multiply', inputs: () => [t([4, 10], 1), t([4, 10], 2)], loss: (a, b) => lossOf(tf.mul(a, b)) },
  { name: 'Concatenate on channels (→ slice)', inputs: () => [t([2, 4, 4, 1], 1), t([2, 4, 4, 1], 2)], loss: (a, b) => lossOf(tf.square(tf.concat([a, b], 3))) },
  { name: 'Add with broadcast', inputs: () => [t([4, 10], 1), t([10], 2)], loss: (a, b) => lossOf(tf.square(tf.add(a, b))) },
  { name: 'LeakyReLU 0.01', inputs: () => [t([4, 10], 1)], loss: (a) => lossOf(tf.leakyRelu(a, 0.01)) },
  { name: 'sigmoid + binary cross-entropy (ε 1e-7)', inputs: () => [t([4, 1], 1, 3)], loss: (a) => tf.metrics.binaryCrossentropy(tf.ones([4, 1]), tf.clipByValue(tf.sigmoid(a), 1e-7, 1 - 1e-7)).mean() as tf.Scalar },
  {
    name: 'the CGAN discriminator in small: Embedding → Flatten → Reshape → Concatenate → Conv2D → BN → LeakyReLU → Flatten → Dense',
    inputs: () => [t([4, 8, 8, 1], 1), t([10, 64], 2, 0.05), t([3, 3, 2, 4], 3, 0.3), t([4], 4), t([4], 5), t([64, 1], 6, 0.2)],
    loss: (img, emb, w, g, b, dense) => {
      const e = tf.reshape(tf.gather(emb, ids([3, 1, 3, 9])), [4, 8, 8, 1]);
      const h = tf.leakyRelu(bnPlain(tf.conv2d(tf.concat([img, e], 3) as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'), g, b), 0.01);
      return tf.sum(tf.sigmoid(tf.matMul(tf.reshape(h, [4, 64]), dense)));
    },
  },
  {
    name: 'the CGAN generator head in small: Embedding → Flatten → Multiply with z → Dense → Reshape → Conv2DTranspose',
    inputs: () => [t([4, 8], 1), t([10, 8], 2, 0.05), t([8, 36], 3, 0.3), t([3, 3, 2, 4], 4, 0.3)],
    loss: (z, emb, dense, w) => {
      const h = tf.reshape(tf.matMul(tf.mul(z, tf.reshape(tf.gather(emb, ids([3, 1, 3, 9])), [4, 8])), dense), [4, 3, 3, 4]);
      return lossOf(tf.tanh(tf.conv2dTranspose(h as tf.Tensor4D, w as tf.Tensor4D, [4, 6, 6, 2], 2, 'same')));
    },
  },
];

async function gradsOn(backend: string, c: GradCase): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const grads = tf.tidy(() => {
    const xs = c.inputs();
    return tf.grads((...args: tf.Tensor[]) => c.loss(...args))(xs);
  });
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
  for (const c of CASES) {
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
