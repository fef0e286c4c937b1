// Gradient and convolution cases shared by the wasm unit tests and the WebGL check page (bench/browser): the DCGAN
// and CGAN presets' convolution shapes at small batches, odd shapes, and every op whose gradient those models reach.
// No test framework here, so the page can import it.
import * as tf from '@tensorflow/tfjs';
import { uniformData } from './uniformData';

export const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const t = (shape: number[], seed: number, scale = 1) => tf.tensor(uniformData(size(shape), seed, scale), shape);

/** max |actual − expected| / max |expected| (summation order differs, so relative to the output's scale); NaN → ∞. */
export function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    const d = Math.abs(actual[i] - expected[i]);
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return scale === 0 ? worst : worst / scale;
}

export interface ConvCase {
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

export const CONV_CASES: ConvCase[] = [
  { name: 'G Conv2DTranspose 7×7×256→14×14×128 (3×3 s2 same)', x: [1, 7, 7, 256], w: [3, 3, 128, 256], strides: [2, 2], pad: 'same', transposed: true },
  { name: 'G Conv2DTranspose 14×14×128→14×14×64 (3×3 s1 same)', x: [1, 14, 14, 128], w: [3, 3, 64, 128], strides: [1, 1], pad: 'same', transposed: true },
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
export function transposedShape(c: ConvCase): [number, number, number, number] {
  const [n, h, w] = c.x;
  const [kh, kw, out] = c.w;
  const [sh, sw] = c.strides;
  return c.pad === 'same' ? [n, h * sh, w * sw, out] : [n, (h - 1) * sh + kh, (w - 1) * sw + kw, out];
}

/** y = conv(x, w), then ∂(Σ y·dy)/∂x and ∂/∂w with a fixed dy: forward, Conv2DBackpropInput, Conv2DBackpropFilter. */
export function forwardAndGrads(c: ConvCase): tf.Tensor[] {
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

/** A scalar loss of some inputs; the test takes its gradient with respect to all of them. */
export interface GradCase {
  name: string;
  inputs: () => tf.Tensor[];
  loss: (...xs: tf.Tensor[]) => tf.Scalar;
}

const bnPlain = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-3))), gamma), beta);
};
const weights = (shape: number[], seed: number) => tf.tensor(uniformData(size(shape), seed, 0.3), shape);
const lossOf = (y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(y, weights(y.shape, 99)));
const ids = (values: number[]) => tf.tensor1d(values, 'int32');

export const GRAD_CASES: GradCase[] = [
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

/** The gradients of a case's loss with respect to all its inputs (inside a tidy: the caller disposes them). */
export const gradsOf = (c: GradCase): tf.Tensor[] => tf.tidy(() => tf.grads((...args: tf.Tensor[]) => c.loss(...args))(c.inputs()));
