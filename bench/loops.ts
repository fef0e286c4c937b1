// One measurement, shared by the Node and browser benchmarks: ms per iteration of the naive seed-style loop
// (predict + trainOnBatch, a read-back per step) and of Ganvas's trainer (explicit variable lists, no read-back).
import { compileGan } from '../src/train/compile';
import type { GraphDocument } from '../src/graph/document';
import { SeedLoop } from '../src/train/seedLoop';
import { disposeStats, GanTrainer, readStats } from '../src/train/trainer';
import type { ImageSource } from '../src/data/imageSource';
import * as tf from '@tensorflow/tfjs';

export type LoopKind = 'naive' | 'ganvas';

export interface LoopMeasurement {
  loop: LoopKind;
  backend: string;
  batchSize: number;
  /** ms/iteration of each timed block. */
  blocks: number[];
  median: number;
  numTensorsStart: number;
  numTensorsEnd: number;
}

export interface MeasureOptions {
  batchSize: number;
  warmup: number;
  blocks: number;
  blockIterations: number;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function measureLoop(loop: LoopKind, doc: GraphDocument, data: ImageSource, o: MeasureOptions): Promise<LoopMeasurement> {
  const compiled = compileGan(doc, { seed: 1 });
  if (!compiled.ok) throw new Error('preset does not compile');
  const gan = compiled.gan;
  let step: () => Promise<void>;
  let finish: () => Promise<void> = async () => {};
  let dispose: () => void;
  if (loop === 'naive') {
    const seed = new SeedLoop(gan, data, o.batchSize, 1);
    step = async () => void (await seed.step());
    dispose = () => seed.dispose();
  } else {
    const trainer = new GanTrainer(gan, data, o.batchSize, 1);
    let last: ReturnType<GanTrainer['step']> | undefined;
    step = async () => {
      if (last) disposeStats(last);
      last = trainer.step();
    };
    // The block ends when the device has really finished: read the last losses back.
    finish = async () => {
      if (last) {
        await readStats(trainer.iteration, last);
        disposeStats(last);
        last = undefined;
      }
    };
    dispose = () => trainer.dispose();
  }
  for (let i = 0; i < o.warmup; i++) await step();
  await finish();
  const numTensorsStart = tf.memory().numTensors;
  const blocks: number[] = [];
  for (let b = 0; b < o.blocks; b++) {
    const t0 = performance.now();
    for (let i = 0; i < o.blockIterations; i++) await step();
    await finish();
    blocks.push((performance.now() - t0) / o.blockIterations);
  }
  const numTensorsEnd = tf.memory().numTensors;
  dispose();
  gan.dispose();
  return { loop, backend: tf.getBackend(), batchSize: o.batchSize, blocks, median: median(blocks), numTensorsStart, numTensorsEnd };
}
