// One measurement, shared by the Node and browser benchmarks: ms per iteration of the naive seed-style loop
// (predict + trainOnBatch, a read-back per step) and of Ganvas's trainer (explicit variable lists, no read-back), on
// any preset. Progress goes out after the warm-up and after each timed block, so a caller that cuts a slow
// measurement off still knows what was measured.
import { compileGan, type CompiledGan } from '../src/train/compile';
import type { GraphDocument } from '../src/graph/document';
import { SeedLoop } from '../src/train/seedLoop';
import { disposeStats, GanTrainer, readStats } from '../src/train/trainer';
import type { ImageSource } from '../src/data/imageSource';
import * as tf from '@tensorflow/tfjs';
import { median } from './timing';

export type LoopKind = 'naive' | 'ganvas';

export interface LoopMeasurement {
  loop: LoopKind;
  backend: string;
  batchSize: number;
  warmup: number;
  /** ms/iteration of each timed block (wall). */
  blocks: number[];
  blockIterations: number;
  median: number;
  /** CPU ms/iteration of each block, where the platform reports process CPU time (Node). */
  cpuBlocks?: number[];
  cpuMedian?: number;
  numTensorsStart: number;
  numTensorsEnd: number;
}

/** What a measurement has finished so far: the warm-up's wall time, then each timed block. */
export interface LoopProgress {
  warmupMs?: number;
  blocks: number[];
  /** tf.memory().numTensors after the warm-up, then after each timed block: a cut-off row still shows its counts. */
  tensors?: number[];
  /** Set while timing the halves of one cold iteration (timeHalves). */
  stepDMs?: number;
  stepGMs?: number;
}

export interface MeasureOptions {
  batchSize: number;
  warmup: number;
  blocks: number;
  blockIterations: number;
  onProgress?: (p: LoopProgress) => void;
}


/** Process CPU ms so far, or undefined in a page (the browser reports none). */
const cpuNow = (): number | undefined => {
  const usage = typeof process !== 'undefined' ? process.cpuUsage?.() : undefined;
  return usage ? (usage.user + usage.system) / 1000 : undefined;
};

function compile(doc: GraphDocument): CompiledGan {
  const compiled = compileGan(doc, { seed: 1 });
  if (!compiled.ok) throw new Error(`${doc.name} does not compile`);
  return compiled.gan;
}

interface Stepper {
  /** One iteration (for Ganvas's trainer, not yet read back). */
  step(): Promise<void>;
  /** Resolves when the device has really finished what step() queued. */
  finish(): Promise<void>;
  stepD(): Promise<void>;
  stepG(): Promise<void>;
  dispose(): void;
}

function stepper(loop: LoopKind, gan: CompiledGan, data: ImageSource, batchSize: number): Stepper {
  if (loop === 'naive') {
    const seed = new SeedLoop(gan, data, batchSize, 1);
    return {
      step: async () => void (await seed.step()),
      finish: async () => {},
      stepD: async () => void (await seed.stepD()),
      stepG: async () => void (await seed.stepG()),
      dispose: () => seed.dispose(),
    };
  }
  const trainer = new GanTrainer(gan, data, batchSize, 1);
  let last: ReturnType<GanTrainer['step']> | undefined;
  return {
    step: async () => {
      if (last) disposeStats(last);
      last = trainer.step();
    },
    finish: async () => {
      if (last) {
        await readStats(trainer.iteration, last);
        disposeStats(last);
        last = undefined;
      }
    },
    stepD: async () => {
      const d = trainer.stepD();
      await Promise.all([d.dLoss.data(), d.acc.data()]);
      tf.dispose([d.dLoss, d.acc]);
    },
    stepG: async () => {
      const g = trainer.stepG();
      await g.data();
      g.dispose();
    },
    dispose: () => trainer.dispose(),
  };
}

export async function measureLoop(loop: LoopKind, doc: GraphDocument, data: ImageSource, o: MeasureOptions): Promise<LoopMeasurement> {
  const gan = compile(doc);
  const s = stepper(loop, gan, data, o.batchSize);
  const progress: LoopProgress = { blocks: [] };
  const t0 = performance.now();
  for (let i = 0; i < o.warmup; i++) await s.step();
  await s.finish();
  if (o.warmup > 0) {
    progress.warmupMs = performance.now() - t0;
    o.onProgress?.({ ...progress });
  }
  const numTensorsStart = tf.memory().numTensors;
  progress.tensors = [numTensorsStart];
  const blocks: number[] = [];
  const cpuBlocks: number[] = [];
  for (let b = 0; b < o.blocks; b++) {
    const [w0, c0] = [performance.now(), cpuNow()];
    for (let i = 0; i < o.blockIterations; i++) await s.step();
    await s.finish();
    blocks.push((performance.now() - w0) / o.blockIterations);
    const c1 = cpuNow();
    if (c0 !== undefined && c1 !== undefined) cpuBlocks.push((c1 - c0) / o.blockIterations);
    progress.blocks = [...blocks];
    progress.tensors = [...progress.tensors, tf.memory().numTensors];
    o.onProgress?.({ ...progress });
  }
  const numTensorsEnd = tf.memory().numTensors;
  s.dispose();
  gan.dispose();
  return {
    loop,
    backend: tf.getBackend(),
    batchSize: o.batchSize,
    warmup: o.warmup,
    blocks,
    blockIterations: o.blockIterations,
    median: median(blocks),
    ...(cpuBlocks.length ? { cpuBlocks, cpuMedian: median(cpuBlocks) } : {}),
    numTensorsStart,
    numTensorsEnd,
  };
}

/**
 * One cold iteration timed in its halves, Step D then Step G, each reported as soon as it ends: for a loop so slow
 * that the caller may have to cut it off (stock tfjs cpu on the DCGAN), a finished Step D is already a measurement.
 */
export async function timeHalves(loop: LoopKind, doc: GraphDocument, data: ImageSource, batchSize: number, onProgress: (p: LoopProgress) => void): Promise<LoopProgress> {
  const gan = compile(doc);
  const s = stepper(loop, gan, data, batchSize);
  const progress: LoopProgress = { blocks: [] };
  let t0 = performance.now();
  await s.stepD();
  progress.stepDMs = performance.now() - t0;
  onProgress({ ...progress });
  t0 = performance.now();
  await s.stepG();
  progress.stepGMs = performance.now() - t0;
  onProgress({ ...progress });
  s.dispose();
  gan.dispose();
  return progress;
}
