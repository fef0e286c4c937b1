import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainClassifier } from './trainClassifier';
import { classifierAccuracy } from './classifierAccuracy';
import { loadMnistTrain } from '../cli/mnist';
import { selectBackend } from '../train/backend';
import type { LabeledImages } from '../data/mnist';

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);

// The backend the training script uses (trainClassifier.test.ts checks the gradients against cpu's).
beforeAll(async () => {
  await selectBackend('wasm');
});

describe('trainClassifier', () => {
  let train: LabeledImages;
  beforeAll(async () => {
    const all = await loadMnistTrain();
    // 1,024 images: enough to see it learn, quick.
    train = { ...all, count: 1024, pixels: all.pixels.subarray(0, 1024 * 784), labels: all.labels.subarray(0, 1024) };
  });

  it('learns from a small slice, seeded (the same seed gives the same weights), without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    const options = { seed: 1, epochs: 2, batchSize: 64, learningRate: 2e-3, lastEpochRateFactor: 1, reportEvery: 4, progress: (p: { loss: number }) => void losses.push(p.loss) };
    const a = await trainClassifier(train, options);
    expect(losses.length).toBeGreaterThan(4);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.7);
    const acc = await classifierAccuracy(a, train);
    // Chance is 10%; two short epochs on 1,024 images already get most of them right.
    expect(acc.accuracy).toBeGreaterThan(0.6);
    const b = await trainClassifier(train, { ...options, progress: undefined });
    a.getWeights().forEach((w, i) => expect(maxAbsDiff(w, b.getWeights()[i])).toBe(0));
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
