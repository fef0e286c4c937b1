import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGan } from './compile';
import type { GraphDocument } from '../graph/document';
import { TrainingRun, type TrainingFault } from './run';
import { GanTrainer } from './trainer';
import { captureState, restoreState } from './state';
import { presetDocument, syntheticImages } from '../testing/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function trainerFor(doc: GraphDocument, batch = 16) {
  const r = compileGan(doc, { seed: 1 });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return new GanTrainer(r.gan, syntheticImages(), batch, 3);
}

describe('TrainingRun', () => {
  it('logs every sample_interval with per-batch stats, grids, and stays tensor-flat', async () => {
    const trainer = trainerFor(presetDocument());
    const lines: string[] = [];
    const grids: number[] = [];
    const run = new TrainingRun(trainer, { iterations: 30, sampleInterval: 10, checkEvery: 5 }, {
      checkpoint: (_s, line) => void lines.push(line),
      sample: (i, images) => {
        grids.push(i);
        expect(images.length).toBe(16 * 784);
        expect(Math.min(...images)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...images)).toBeLessThanOrEqual(1);
      },
    });
    // One step first, so the Adam moments and any cached constants exist before counting.
    const warm = trainer.step();
    tf.dispose([warm.dLoss, warm.acc, warm.gLoss]);
    // Count from 0 again (the count moves only with a state put back).
    restoreState(trainer, { ...(await captureState(trainer)), iteration: 0 });
    const before = tf.memory().numTensors;
    expect(await run.run()).toBe('finished');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^10 \[D loss: \d+\.\d{6}, acc\.: \d+\.\d{2}%\] \[G loss: \d+\.\d{6}\]$/);
    expect(grids).toEqual([10, 20, 30]);
    expect(run.history.map((h) => h.iteration)).toEqual([10, 20, 30]);
    expect(run.fine.map((h) => h.iteration)).toEqual([5, 10, 15, 20, 25, 30]);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });

  it('pauses and resumes where it stopped', async () => {
    const trainer = trainerFor(presetDocument());
    let run: TrainingRun;
    run = new TrainingRun(trainer, { iterations: 20, sampleInterval: 10, checkEvery: 2 }, {
      progress: (p) => {
        if (p.iteration === 6) run.pause();
      },
    });
    expect(await run.run()).toBe('paused');
    expect(trainer.iteration).toBe(6);
    expect(await run.run()).toBe('finished');
    expect(trainer.iteration).toBe(20);
    run.stop();
    run.dispose();
    trainer.dispose();
  });

  it('pauses on a non-finite loss and puts back the last good checkpoint', async () => {
    const trainer = trainerFor(presetDocument());
    const faults: TrainingFault[] = [];
    let injected = false;
    const run = new TrainingRun(trainer, { iterations: 400, sampleInterval: 4, checkEvery: 1 }, {
      fault: (f) => void faults.push(f),
      // A blown-up weight, as a huge learning rate produces on float32 hardware.
      progress: (p) => {
        if (p.iteration === 10 && !injected) {
          injected = true;
          trainer.gan.dVariables[2].assign(tf.fill(trainer.gan.dVariables[2].shape, Number.NaN));
        }
      },
    });
    const outcome = await run.run();
    expect(outcome).toBe('fault');
    expect(faults[0]).toMatchObject({ code: 'train.nonFinite', args: { iteration: 11, checkpoint: 8, which: 'D loss', value: 'NaN' } });
    expect(trainer.iteration).toBe(8);
    expect(run.history.map((h) => h.iteration)).toEqual([4, 8]);
    for (const v of [...trainer.gan.gVariables, ...trainer.gan.dVariables]) expect(v.dataSync().every(Number.isFinite)).toBe(true);
    // Training can go on from the restored state.
    run.settings.iterations = 12;
    expect(await run.run()).toBe('finished');
    run.dispose();
    trainer.dispose();
  });
});
