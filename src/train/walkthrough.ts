// One real training iteration taken apart into the stages a learner can follow (the Walkthrough): GanTrainer's own
// Step D in its parts (drawD, trainDOnReal, trainDOnFake) and its stepG, so walking through an iteration trains exactly
// as a Step iteration would, and the trainer keeps the count. DOM-free: the worker drives the generator and posts each record; tests run it on cpu.
import * as tf from '@tensorflow/tfjs';
import type { GanTrainer } from './trainer';
import { formatLogLine, type IterationStats } from '../io/logLine';

import { WALK_STAGES, type WalkStageId } from '../graph/walkStages';
export { WALK_STAGES, type WalkStageId };

/** A few images for display: `count` images of width×height, values in [0, 1], row-major. */
export interface WalkImages {
  pixels: Float32Array;
  count: number;
  width: number;
  height: number;
}

/** What one stage did, with the values it measured (only the ones that stage produces are present). */
export interface WalkStage {
  /** 1-based position in WALK_STAGES. */
  index: number;
  id: WalkStageId;
  /** The iteration this walkthrough is taking (the trainer's count before it, plus one). */
  iteration: number;
  batchSize: number;
  images?: WalkImages;
  /** Stage 2: mean and standard deviation of the z batch actually drawn (≈ 0 and 1). */
  zMean?: number;
  zStd?: number;
  /** Stage 3: BCE of D on the real batch with label 1, and D's accuracy on it (before the update). */
  dLossReal?: number;
  accReal?: number;
  /** Stage 4: the same on the fakes with label 0, and the book's means d_loss = ½(real + fake), acc likewise. */
  dLossFake?: number;
  accFake?: number;
  dLoss?: number;
  acc?: number;
  /** Stage 5: BCE of D(G(z)) with target 1, through the frozen D. */
  gLoss?: number;
  /** Stage 6: the seed's log line. */
  line?: string;
}

const SHOW = 16;

/** The first `n` images of a batch in [-1, 1], mapped to [0, 1] by 0.5·x + 0.5 (what the book's grid plots). */
async function firstImages(batch: tf.Tensor, imageShape: number[]): Promise<WalkImages> {
  const n = Math.min(SHOW, batch.shape[0] ?? 0);
  const [height, width] = imageShape;
  const t = tf.tidy(() => tf.add(tf.mul(tf.slice(batch, 0, n), 0.5), 0.5));
  const pixels = new Float32Array(await t.data());
  t.dispose();
  return { pixels, count: n, width, height };
}

const scalar = async (t: tf.Tensor): Promise<number> => {
  const v = (await t.data())[0];
  t.dispose();
  return v;
};

/**
 * Yields one record per stage of the next iteration and applies the same updates as `trainer.step()`. Abandoning the
 * generator (`return()`) frees its tensors; the updates already taken stay (an abandoned walk may leave Step D done
 * and Step G due, like a hand-taken Step D). Returns the iteration's stats once the log stage has been consumed.
 */
export async function* walkIteration(trainer: GanTrainer): AsyncGenerator<WalkStage, IterationStats, void> {
  const n = trainer.batchSize;
  const shape = trainer.gan.imageShape;
  const iteration = trainer.iteration + 1;
  const base = { iteration, batchSize: n };
  const batch = trainer.drawD();
  let dLossReal: number;
  let accReal: number;
  let dLossFake: number;
  let accFake: number;
  try {
    yield { ...base, index: 1, id: 'real', images: await firstImages(batch.real, shape) };

    const [mean, variance] = tf.tidy(() => {
      const m = tf.moments(batch.z);
      return [m.mean, m.variance];
    });
    const zMean = await scalar(mean);
    const zStd = Math.sqrt(await scalar(variance));
    yield { ...base, index: 2, id: 'generate', zMean, zStd, images: await firstImages(batch.fake, shape) };

    const r = trainer.trainDOnReal(batch);
    dLossReal = await scalar(r.loss);
    accReal = await scalar(r.acc);
    yield { ...base, index: 3, id: 'dReal', dLossReal, accReal };

    const f = trainer.trainDOnFake(batch);
    dLossFake = await scalar(f.loss);
    accFake = await scalar(f.acc);
    yield { ...base, index: 4, id: 'dFake', dLossFake, accFake, dLoss: 0.5 * (dLossReal + dLossFake), acc: 0.5 * (accReal + accFake) };
  } finally {
    tf.dispose([batch.real, batch.z, batch.fake]);
  }

  // Step G completes the iteration in the trainer (its count moves there, not here).
  const gLoss = await scalar(trainer.stepG());
  yield { ...base, index: 5, id: 'gStep', gLoss };

  const stats: IterationStats = { iteration, dLoss: 0.5 * (dLossReal + dLossFake), acc: 0.5 * (accReal + accFake), gLoss };
  yield { ...base, index: 6, id: 'log', dLoss: stats.dLoss, acc: stats.acc, gLoss, line: formatLogLine(stats) };
  return stats;
}
