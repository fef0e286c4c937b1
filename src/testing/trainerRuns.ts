// Training runs as tests compare them: the losses of each iteration, read back in order; the tensor count over a run.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { disposeStats, readStats, type GanTrainer } from '../train/trainer';

/** `n` full iterations; for each, D's loss, D's accuracy and G's loss, read back. */
export async function iterationLosses(trainer: GanTrainer, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = trainer.step();
    const s = await readStats(trainer.iteration, t);
    disposeStats(t);
    out.push(s.dLoss, s.acc, s.gLoss);
  }
  return out;
}

/**
 * After one iteration that makes the optimizers' slots, `n` more (every tenth read back, as the app's progress does),
 * then `after` (a sample grid, say): tf.memory().numTensors must end where it stood after the first.
 */
export async function expectFlatTensors(trainer: GanTrainer, n: number, after: () => Promise<unknown> = async () => {}): Promise<void> {
  disposeStats(trainer.step());
  const start = tf.memory().numTensors;
  for (let i = 0; i < n; i++) {
    const t = trainer.step();
    if (i % 10 === 0) await readStats(trainer.iteration, t);
    disposeStats(t);
  }
  await after();
  expect(tf.memory().numTensors, `tensors after ${n} iterations`).toBe(start);
}
