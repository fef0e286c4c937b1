// The project's own MNIST digit classifier: a small CNN whose penultimate layer gives the features the Fréchet distance
// compares and whose softmax gives the Inception Score, coverage and confidence. Architecture and input convention
// live here, once, for the training script, the quality meter and the tests. Runs anywhere tfjs runs.
import * as tf from '@tensorflow/tfjs';

/** The layer whose output is the feature vector (64 ReLU units). */
export const FEATURE_LAYER = 'features';
export const FEATURE_SIZE = 64;
export const CLASSES = 10;
export const IMAGE_SIDE = 28;

/**
 * Input: 28×28×1 images in [-1, 1], the scale Ganvas feeds D and G draws (tanh), so generated samples go in as they
 * are and real ones as x/127.5 − 1. Output: the probabilities of the digits 0–9.
 */
export function buildClassifier(seed: number): tf.LayersModel {
  let s = seed;
  const init = () => tf.initializers.glorotUniform({ seed: s++ });
  const input = tf.input({ shape: [IMAGE_SIDE, IMAGE_SIDE, 1], name: 'image' });
  let x = tf.layers.conv2d({ name: 'conv1', filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init() }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ name: 'conv2', filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ name: FEATURE_LAYER, units: FEATURE_SIZE, activation: 'relu', kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ name: 'probs', units: CLASSES, activation: 'softmax', kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'mnist_classifier' });
}

/** What the meter reads for each image: the 64 features and the 10 probabilities. */
export interface ClassifierOutputs {
  count: number;
  /** count × FEATURE_SIZE, row-major. */
  features: Float32Array;
  /** count × CLASSES, row-major. */
  probs: Float32Array;
}

/** A model with two outputs, [features, probs], sharing the classifier's layers and weights (dispose only the classifier). */
export function withFeatures(classifier: tf.LayersModel): tf.LayersModel {
  const features = classifier.getLayer(FEATURE_LAYER).output as tf.SymbolicTensor;
  return tf.model({ inputs: classifier.inputs, outputs: [features, classifier.outputs[0]] });
}

/** Reshapes a batch of images (count × 784 or count × 28 × 28 (× 1)) to the classifier's input. */
export function asClassifierInput(images: tf.Tensor): tf.Tensor4D {
  const n = images.shape[0];
  const size = images.size / n;
  if (size !== IMAGE_SIDE * IMAGE_SIDE) throw new Error(`the digit classifier reads 28×28×1 images, got ${images.shape.slice(1).join('×')}`);
  return images.reshape([n, IMAGE_SIDE, IMAGE_SIDE, 1]);
}

/** Uint8 pixels (0–255) of images [start, start+count) as a [-1, 1] tensor batch. */
export function pixelsToInput(pixels: Uint8Array, start: number, count: number): tf.Tensor4D {
  const size = IMAGE_SIDE * IMAGE_SIDE;
  const values = new Float32Array(count * size);
  const from = pixels.subarray(start * size, (start + count) * size);
  for (let i = 0; i < values.length; i++) values[i] = from[i] / 127.5 - 1;
  return tf.tensor4d(values, [count, IMAGE_SIDE, IMAGE_SIDE, 1]);
}

/**
 * Runs `heads` (from withFeatures) over `count` images that `batch(start, n)` produces, `batchSize` at a time, and
 * reads everything back. Awaits between batches so a worker or page stays responsive.
 */
export async function classify(
  heads: tf.LayersModel,
  count: number,
  batch: (start: number, n: number) => tf.Tensor,
  batchSize = 500,
  yieldFn: () => Promise<void> = () => Promise.resolve(),
): Promise<ClassifierOutputs> {
  const features = new Float32Array(count * FEATURE_SIZE);
  const probs = new Float32Array(count * CLASSES);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const [f, p] = tf.tidy(() => {
      const x = asClassifierInput(batch(start, n));
      return heads.predict(x) as tf.Tensor[];
    });
    try {
      features.set(await f.data(), start * FEATURE_SIZE);
      probs.set(await p.data(), start * CLASSES);
    } finally {
      f.dispose();
      p.dispose();
    }
    await yieldFn();
  }
  return { count, features, probs };
}
