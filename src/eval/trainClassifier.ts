// Trains the digit classifier (classifier.ts) on MNIST. The LayersModel's own variables are trained through a lean
// forward written in ops whose gradients every tfjs backend has: tfjs 4.22's wasm backend lacks Conv2DBackpropFilter,
// and the cpu backend's training step for this CNN is ~30× slower than wasm's. The saved model is a plain tfjs
// LayersModel with Conv2D layers that predicts the same as the lean forward (tested).
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../train/random';
import { buildClassifier, CLASSES, pixelsToInput } from './classifier';
import type { LabeledImages } from '../data/mnist';

export interface ClassifierTrainingOptions {
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The last epoch runs at learningRate × this (a short fine-tuning step; 1 = constant). */
  lastEpochRateFactor: number;
  /** Called after every `reportEvery` batches and at each epoch's end. */
  progress?(p: { epoch: number; batch: number; batches: number; loss: number }): void;
  reportEvery?: number;
}

export const CLASSIFIER_TRAINING: Omit<ClassifierTrainingOptions, 'progress'> = { seed: 7, epochs: 5, batchSize: 64, learningRate: 1e-3, lastEpochRateFactor: 0.1 };

/**
 * 3×3 valid convolution, stride 1: x [n,h,w,c], kernel [3,3,c,f] → [n,h-2,w-2,f]. The forward pass and the input
 * gradient are the backend's own Conv2D and Conv2DBackpropInput; the kernel gradient, which tfjs 4.22's wasm backend
 * lacks, is nine products: for each tap (dy, dx), the input window shifted by it, transposed, times the output gradient.
 * `inputGradient` false: the input is data, and its gradient is returned as zeros instead of computed.
 */
export function conv3x3(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor, inputGradient = true): tf.Tensor4D {
  const conv = tf.customGrad(((xs: tf.Tensor4D, ks: tf.Tensor4D, save: tf.GradSaveFunc) => {
    save([xs, ks]);
    return {
      value: tf.conv2d(xs, ks, 1, 'valid'),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [xv, kv] = saved as [tf.Tensor4D, tf.Tensor4D];
        const [n, h, w, c] = xv.shape;
        const f = kv.shape[3];
        const oh = h - 2;
        const ow = w - 2;
        const dyFlat = dy.reshape([n * oh * ow, f]);
        const taps: tf.Tensor[] = [];
        for (let ty = 0; ty < 3; ty++) {
          for (let tx = 0; tx < 3; tx++) taps.push(xv.slice([0, ty, tx, 0], [n, oh, ow, c]).reshape([n * oh * ow, c]).matMul(dyFlat, true, false));
        }
        const dk = tf.stack(taps).reshape([3, 3, c, f]);
        // The first layer's input is the data: its gradient would be computed and thrown away.
        const dx = inputGradient ? tf.conv2dTranspose(dy, kv, [n, h, w, c], 1, 'valid') : tf.zerosLike(xv);
        return [dx, dk];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (conv(x, kernel as tf.Tensor4D) as tf.Tensor4D).add(bias);
}

/** 2×2 max pooling, stride 2, valid (an odd edge row/column is dropped), as tf.layers.maxPooling2d does. */
export function maxPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 2, 2, 'valid');
}

/** The classifier's logits through the lean forward, on the model's own variables. */
export function classifierLogits(model: tf.LayersModel, x: tf.Tensor4D): tf.Tensor2D {
  const w = (name: string, i: number) => model.getLayer(name).getWeights()[i];
  let h = maxPool2x2(conv3x3(x, w('conv1', 0) as tf.Tensor4D, w('conv1', 1), false).relu());
  h = maxPool2x2(conv3x3(h, w('conv2', 0) as tf.Tensor4D, w('conv2', 1)).relu());
  const flat = h.reshape([h.shape[0], -1]);
  const features = flat.matMul(w('features', 0)).add(w('features', 1)).relu();
  return features.matMul(w('probs', 0)).add(w('probs', 1)) as tf.Tensor2D;
}

/** Trains a fresh classifier on `train`; the shuffles come from one seeded stream, the initial weights from the seed. */
export async function trainClassifier(train: LabeledImages, options: ClassifierTrainingOptions): Promise<tf.LayersModel> {
  const model = buildClassifier(options.seed);
  // The same tf.Variables the layers hold (getWeights() returns them as tensors for reading).
  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const optimizer = tf.train.adam(options.learningRate, 0.9, 0.999, 1e-7);
  const rng = new Rng(options.seed ^ 0x5eed);
  const order = Array.from({ length: train.count }, (_, i) => i);
  const size = train.size;
  const batches = Math.floor(train.count / options.batchSize);
  const pixels = new Uint8Array(options.batchSize * size);
  const labels = new Int32Array(options.batchSize);
  const reportEvery = options.reportEvery ?? 100;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      // AdamOptimizer reads its (TS-protected) learningRate at every step; changing it keeps the moment estimates.
      if (epoch === options.epochs - 1 && options.epochs > 1) (optimizer as unknown as { learningRate: number }).learningRate = options.learningRate * options.lastEpochRateFactor;
      // Fisher–Yates with the seeded stream: the same batches every run.
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      let lossSum = 0;
      let lossCount = 0;
      for (let b = 0; b < batches; b++) {
        for (let k = 0; k < options.batchSize; k++) {
          const idx = order[b * options.batchSize + k];
          pixels.set(train.pixels.subarray(idx * size, (idx + 1) * size), k * size);
          labels[k] = train.labels[idx];
        }
        const loss = tf.tidy(() => {
          const x = pixelsToInput(pixels, 0, options.batchSize);
          const y = tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES);
          return optimizer.minimize(() => softmaxCrossEntropy(y, classifierLogits(model, x)), true, variables)!;
        });
        const last = b === batches - 1;
        if ((b + 1) % reportEvery === 0 || last) {
          lossSum += (await loss.data())[0];
          lossCount++;
          options.progress?.({ epoch, batch: b + 1, batches, loss: lossSum / lossCount });
        }
        loss.dispose();
        // Let timers and signals run between batches.
        if (b % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
  } finally {
    optimizer.dispose();
  }
  return model;
}

/**
 * Mean softmax cross-entropy on plain ops (logits − logSumExp), the same value as tf.losses.softmaxCrossEntropy.
 * That op is a customGrad whose saved intermediates tfjs's test-mode leak check counts as leaked on wasm.
 */
function softmaxCrossEntropy(oneHot: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  const logProbs = tf.sub(logits, tf.logSumExp(logits, -1, true));
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logProbs), -1))) as tf.Scalar;
}

