// Training runs as tests compare them: the losses of each iteration, read back in order.
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
