// The committed classifier (models/mnist-classifier) and the statistics shipped beside it, checked against the data.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../train/backend';
import { CLASSIFIER_DIR, loadQualityMeter } from '../cli/classifierFiles';
import { loadMnistTest, loadMnistTrainImages } from '../cli/mnist';
import { classifierAccuracy } from './classifierAccuracy';
import { classify, pixelsToInput } from './classifier';
import { featureStats, frechetDistance } from './scores';
import { checkGenerator, DEFAULT_SAMPLES, type QualityMeter } from './meter';
import { REAL_DATA_SEED, seededSubset } from '../../scripts/classifier-stats';
import type { LabeledImages } from '../data/mnist';

let meter: QualityMeter;
let test: LabeledImages;
beforeAll(async () => {
  // Forward convolutions run on wasm; this is also the backend the headless meter uses.
  await selectBackend('wasm');
  [meter, test] = await Promise.all([loadQualityMeter(), loadMnistTest()]);
});

describe('the committed digit classifier', () => {
  it('scores at least 99.0% on the 10,000 MNIST test images', async () => {
    const acc = await classifierAccuracy(meter.classifier, test);
    expect(acc.count).toBe(10000);
    expect(acc.accuracy).toBeGreaterThanOrEqual(0.99);
  });

  it('weighs at most 1 MB', () => {
    const bytes = ['model.json', 'weights.bin'].reduce((sum, f) => sum + statSync(join(CLASSIFIER_DIR, f)).size, 0);
    expect(bytes).toBeLessThanOrEqual(1_000_000);
  });

  it('ships the test set statistics of these weights, and the real-data scores they give', async () => {
    const outputs = await classify(meter.heads, test.count, (start, n) => pixelsToInput(test.pixels, start, n));
    const recomputed = featureStats(outputs.features, outputs.count);
    expect(frechetDistance(recomputed, meter.test)).toBeLessThan(1e-3);
    const train = await loadMnistTrainImages();
    const n = DEFAULT_SAMPLES.browser;
    const real = await meter.scoreReal(train, seededSubset(train.count, n, REAL_DATA_SEED + n));
    const shipped = meter.realData(n)!;
    expect(real.frechetDistance).toBeCloseTo(shipped.frechetDistance, 3);
    expect(real.inceptionScore).toBeCloseTo(shipped.inceptionScore, 3);
    expect(real.digitsCovered).toBe(10);
    // Real digits, scored like a generator: close to the test set, confidently classified, all ten present.
    expect(shipped.inceptionScore).toBeGreaterThan(9);
    expect(meter.realData(DEFAULT_SAMPLES.headless)!.frechetDistance).toBeLessThan(shipped.frechetDistance);
  });
});

describe('QualityMeter.scoreGenerator', () => {
  it('scores a generator that draws one blank image as one digit, IS 1, far from the test set; disposes what it makes', async () => {
    const blank = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 784, activation: 'tanh', kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({ value: -10 }) })] });
    const before = tf.memory().numTensors;
    const s = await meter.scoreGenerator(blank, { samples: 300, seed: 1, batchSize: 128 });
    expect(tf.memory().numTensors).toBe(before);
    expect(s.samples).toBe(300);
    expect(s.digitsCovered).toBe(1);
    expect(s.inceptionScore).toBeCloseTo(1, 6);
    expect(s.frechetDistance).toBeGreaterThan(10 * meter.realData(DEFAULT_SAMPLES.browser)!.frechetDistance);
    blank.dispose();
  });

  it('refuses models that are not generators of 28×28 images, saying what it got', () => {
    const wide = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 100 })] });
    expect(() => checkGenerator(wide)).toThrow('the digit classifier scores 28×28×1 (or 784-value) images; this generator makes ?×100');
    const rgb = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 28 * 28 * 3 }), tf.layers.reshape({ targetShape: [28, 28, 3] })] });
    expect(() => checkGenerator(rgb)).toThrow(/this generator makes \?×28×28×3/);
    const image = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 784 })] });
    expect(() => checkGenerator(image)).toThrow('a generator takes a flat z (batch × z size); this model\'s input is ?×28×28×1');
    const ok = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 784 }), tf.layers.reshape({ targetShape: [28, 28, 1] })] });
    expect(checkGenerator(ok)).toEqual({ zSize: 5 });
    for (const m of [wide, rgb, image, ok]) m.dispose();
  });
});
