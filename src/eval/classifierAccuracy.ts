// Test accuracy of a digit classifier: batched predict, argmax against the labels.
import * as tf from '@tensorflow/tfjs';
import { CLASSES, pixelsToInput } from './classifier';
import type { LabeledImages } from '../data/mnist';

export interface AccuracyResult {
  correct: number;
  count: number;
  accuracy: number;
  /** Per digit: how many of its test images were classified correctly, out of how many. */
  perDigit: { digit: number; correct: number; count: number }[];
}

export async function classifierAccuracy(model: tf.LayersModel, data: LabeledImages, batchSize = 1000): Promise<AccuracyResult> {
  const perDigit = Array.from({ length: CLASSES }, (_, digit) => ({ digit, correct: 0, count: 0 }));
  let correct = 0;
  for (let start = 0; start < data.count; start += batchSize) {
    const n = Math.min(batchSize, data.count - start);
    const predicted = tf.tidy(() => (model.predict(pixelsToInput(data.pixels, start, n)) as tf.Tensor).argMax(1));
    const p = await predicted.data();
    predicted.dispose();
    for (let i = 0; i < n; i++) {
      const label = data.labels[start + i];
      perDigit[label].count++;
      if (p[i] === label) {
        perDigit[label].correct++;
        correct++;
      }
    }
  }
  return { correct, count: data.count, accuracy: correct / data.count, perDigit };
}
