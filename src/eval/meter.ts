// The quality meter: the digit classifier plus the test set's feature statistics, scoring N images at a time.
// Scores a Ganvas generator, any tfjs LayersModel generator (z of its input size → 28×28×1 or 784 values in [-1, 1]),
// or real images. Runs anywhere tfjs runs; awaits between batches so a worker or page stays responsive.
import * as tf from '@tensorflow/tfjs';
import { classify, IMAGE_SIDE, pixelsToInput, withFeatures } from './classifier';
import { scoreOutputs, statsFromJson, type FeatureStats, type FeatureStatsJson, type Scores } from './scores';
import type { ImageSource } from '../data/imageSource';
import { Rng } from '../train/random';

/** What scripts/classifier-stats.ts ships beside the classifier (models/mnist-classifier/reference.json). */
export interface ReferenceFile {
  format: 'ganvas-classifier-reference';
  version: 1;
  /** SHA-256 of the weights.bin these statistics were computed with: stale statistics are refused. */
  weightsSha256: string;
  /** The classifier's features of all 10,000 test images. */
  test: FeatureStatsJson;
  /** Real data scored like a generator: N training images (a seeded random subset) against the test statistics. */
  realData: Record<string, Scores>;
}

/** Samples scored in the browser, and headless. */
export const DEFAULT_SAMPLES = { browser: 2000, headless: 10000 } as const;
/** Fewer than ~100 samples leave the 64×64 feature covariance singular; more than the training set is pointless. */
export const EVAL_SAMPLES_RANGE = { min: 100, max: 60000 } as const;

/** `count` distinct indices below `n`, from a seeded partial Fisher–Yates shuffle: the real-data subsets. */
export function seededSubset(n: number, count: number, seed: number): Uint32Array {
  const rng = new Rng(seed);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(n - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count);
}

/** Real data's N training images are seededSubset(60,000, N, REAL_DATA_SEED + N). */
export const REAL_DATA_SEED = 2024;

export class QualityMeter {
  readonly heads: tf.LayersModel;
  readonly test: FeatureStats;

  constructor(
    readonly classifier: tf.LayersModel,
    readonly reference: ReferenceFile,
  ) {
    this.heads = withFeatures(classifier);
    this.test = statsFromJson(reference.test);
  }

  /** The real-data scores at `samples` images, when the reference file has them (2,000 and 10,000 are shipped). */
  realData(samples: number): Scores | undefined {
    return this.reference.realData[String(samples)];
  }

  /**
   * Real data's scores at `samples` images: the shipped ones, else `train`'s same seeded subset scored now (what
   * scripts/classifier-stats.ts does for the shipped sizes), so any N has a reference beside it.
   */
  async realDataFrom(train: ImageSource, samples: number, options: { batchSize?: number; yieldFn?: () => Promise<void> } = {}): Promise<Scores> {
    return this.realData(samples) ?? this.scoreReal(train, seededSubset(train.count, Math.min(samples, train.count), REAL_DATA_SEED + samples), options);
  }

  /** Scores `count` images that `batch(start, n)` produces (any [n, 784] or [n, 28, 28, 1] tensor in [-1, 1]). */
  async scoreBatches(count: number, batch: (start: number, n: number) => tf.Tensor, options: { batchSize?: number; yieldFn?: () => Promise<void> } = {}): Promise<Scores> {
    const outputs = await classify(this.heads, count, batch, options.batchSize ?? 500, options.yieldFn);
    return scoreOutputs(outputs, this.test);
  }

  /** Scores `count` real images chosen by `indices` (uint8 pixels, scaled like the GAN's data). */
  async scoreReal(data: ImageSource, indices: ArrayLike<number>, options: { batchSize?: number; yieldFn?: () => Promise<void> } = {}): Promise<Scores> {
    const size = IMAGE_SIDE * IMAGE_SIDE;
    if (data.size !== size) throw new Error(`the digit classifier reads 28×28 images, these have ${data.size} pixels`);
    return this.scoreBatches(
      indices.length,
      (start, n) => {
        const pixels = new Uint8Array(n * size);
        for (let k = 0; k < n; k++) {
          const idx = indices[start + k];
          pixels.set(data.pixels.subarray(idx * size, (idx + 1) * size), k * size);
        }
        return pixelsToInput(pixels, 0, n);
      },
      options,
    );
  }

  /**
   * Scores `samples` images of `generator` from z ~ N(0, 1), seeded: the same seed and weights give the same scores.
   * The generator runs in inference mode (predict), batch-norm moving statistics included, as Keras's predict does.
   */
  async scoreGenerator(generator: tf.LayersModel, options: { samples: number; seed?: number; batchSize?: number; yieldFn?: () => Promise<void> }): Promise<Scores> {
    const { zSize } = checkGenerator(generator);
    const seed = options.seed ?? 0;
    return this.scoreBatches(
      options.samples,
      (start, n) => {
        // tfjs treats a seed of 0 as "no seed" (Math.random): offset by one so every seed, 0 included, is reproducible.
        const z = tf.randomNormal([n, zSize], 0, 1, 'float32', ((seed + start) >>> 0) + 1);
        return generator.predict(z) as tf.Tensor;
      },
      options,
    );
  }

  dispose(): void {
    // heads shares the classifier's layers and weights; disposing the classifier frees both.
    this.classifier.dispose();
  }
}

/** Checks that `generator` maps z (one flat input) to one 28×28 image per row; throws a one-line reason if not. */
export function checkGenerator(generator: tf.LayersModel): { zSize: number } {
  if (generator.inputs.length !== 1) throw new Error(`a generator takes one input (z); this model takes ${generator.inputs.length}`);
  const inShape = generator.inputs[0].shape;
  if (inShape.length !== 2 || inShape[1] == null) throw new Error(`a generator takes a flat z (batch × z size); this model's input is ${shapeText(inShape)}`);
  if (generator.outputs.length !== 1) throw new Error(`a generator has one output (the image); this model has ${generator.outputs.length}`);
  const outShape = generator.outputs[0].shape;
  const size = outShape.slice(1).reduce<number>((a, b) => a * (b ?? NaN), 1);
  if (size !== IMAGE_SIDE * IMAGE_SIDE || (outShape.length === 4 && outShape[3] !== 1)) {
    throw new Error(`the digit classifier scores 28×28×1 (or 784-value) images; this generator makes ${shapeText(outShape)}`);
  }
  return { zSize: inShape[1] };
}

const shapeText = (shape: (number | null)[]) => shape.map((d) => (d == null ? '?' : String(d))).join('×');
