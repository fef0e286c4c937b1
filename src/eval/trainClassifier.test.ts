import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifierLogits, conv3x3, maxPool2x2 } from './trainClassifier';
import { buildClassifier, pixelsToInput } from './classifier';

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);

// The cpu backend has every convolution gradient: the reference the lean forward's custom gradient must match.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the lean training forward', () => {
  it('convolution and its gradients match tfjs conv2d and its autodiff', () => {
    const x = tf.randomNormal([3, 9, 7, 4], 0, 1, 'float32', 1) as tf.Tensor4D;
    const k = tf.randomNormal([3, 3, 4, 5], 0, 1, 'float32', 2) as tf.Tensor4D;
    const b = tf.randomNormal([5], 0, 1, 'float32', 3);
    const w = tf.randomNormal([3, 7, 5, 5], 0, 1, 'float32', 4);
    // A loss that weights every output differently, so a permuted gradient cannot pass.
    const loss = (f: (x: tf.Tensor4D, k: tf.Tensor4D) => tf.Tensor) => (xv: tf.Tensor, kv: tf.Tensor) => f(xv as tf.Tensor4D, kv as tf.Tensor4D).mul(w).sum() as tf.Scalar;
    const ours = tf.grads(loss((xv, kv) => conv3x3(xv, kv, b)));
    const theirs = tf.grads(loss((xv, kv) => tf.conv2d(xv, kv, 1, 'valid').add(b)));
    expect(maxAbsDiff(conv3x3(x, k, b), tf.conv2d(x, k, 1, 'valid').add(b))).toBeLessThan(1e-5);
    const [dxOurs, dkOurs] = ours([x, k]);
    const [dxTheirs, dkTheirs] = theirs([x, k]);
    expect(maxAbsDiff(dkOurs, dkTheirs)).toBeLessThan(1e-4);
    expect(maxAbsDiff(dxOurs, dxTheirs)).toBeLessThan(1e-4);
    // With inputGradient off, the kernel gradient is unchanged and the input's is zero.
    const [dxNone, dkNone] = tf.grads(loss((xv, kv) => conv3x3(xv, kv, b, false)))([x, k]);
    expect(maxAbsDiff(dkNone, dkTheirs)).toBeLessThan(1e-4);
    expect(dxNone.abs().max().dataSync()[0]).toBe(0);
  });

  it('pooling matches maxPooling2d on odd sizes, and the lean logits match the LayersModel', () => {
    const x = tf.randomNormal([2, 11, 11, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const layer = tf.layers.maxPooling2d({ poolSize: 2 });
    expect(maxAbsDiff(maxPool2x2(x), layer.apply(x) as tf.Tensor)).toBe(0);
    const model = buildClassifier(3);
    const images = pixelsToInput(Uint8Array.from({ length: 4 * 784 }, (_, i) => (i * 37) % 256), 0, 4);
    expect(maxAbsDiff(tf.softmax(classifierLogits(model, images)), model.predict(images) as tf.Tensor)).toBeLessThan(1e-6);
    model.dispose();
  });
});
