// The training loop around GanTrainer: iterations, sample_interval checkpoints, pause/stop, NaN guards with a last
// good in-memory snapshot, and events for logs, grids and charts. The UI, the headless runner and the benchmark all
// drive training through this one loop.
import * as tf from '@tensorflow/tfjs';
import { hashString } from './random';
import { disposeState, holdState, restoreState, type HeldState } from './state';
import { disposeStats, readStats, type GanTrainer } from './trainer';
import { formatLogLine, type IterationStats } from '../io/logLine';
import { allLabels, conditionalGridPlan, type ConditionalGridPlan } from '../io/sampleGrid';

export interface RunSettings {
  iterations: number;
  sampleInterval: number;
  /** Losses are read back every this many iterations (fine chart, NaN guard, ms/iter); never every iteration. */
  checkEvery: number;
  /** Grids use one fixed z drawn at the start instead of fresh z each time. */
  fixedNoise?: boolean;
  /** Images per grid (the seed shows 4×4). */
  gridSize?: number;
  /** Seeds the grids' z. Grids draw from their own stream, derived from this and the iteration, so showing them
   * never shifts the training draws and a resumed run stays exact. */
  gridSeed?: number;
  /** A conditional GAN's grid: the digits to show (default all classes, the book's 0–9). */
  sampleLabels?: number[];
}

export interface TrainingFault {
  code: string;
  args: Record<string, string | number>;
}

export interface RunEvents {
  /** Every sampleInterval: the per-batch stats of that iteration and the seed's log line. */
  checkpoint?(stats: IterationStats, line: string): void | Promise<void>;
  /** Every sampleInterval: `gridSize` images G(z) in [0, 1], row-major, `pixels` values each; a conditional GAN's
   * grid also says which digit each cell asks for (and how many columns it has). */
  sample?(iteration: number, images: Float32Array, labels?: ConditionalGridPlan): void | Promise<void>;
  /** Every checkEvery iterations. */
  progress?(p: { iteration: number; msPerIteration: number; stats: IterationStats }): void;
  fault?(fault: TrainingFault): void;
}

export type RunOutcome = 'finished' | 'paused' | 'stopped' | 'fault';

/** Lets the page (or event loop) breathe between iterations; the browser passes scheduler.yield. */
export type YieldFn = () => Promise<void>;
export const nodeYield: YieldFn = () => new Promise((resolve) => setImmediate(resolve));

/** The last good state, on the device, and how long the history was then. */
interface Snapshot {
  state: HeldState;
  history: number;
}

const finite = (s: IterationStats) => Number.isFinite(s.dLoss) && Number.isFinite(s.gLoss) && Number.isFinite(s.acc);

export class TrainingRun {
  /** Per-batch stats at each sampleInterval: the seed's two charts. */
  readonly history: IterationStats[] = [];
  /** Per-batch stats every checkEvery iterations: the finer view. */
  readonly fine: IterationStats[] = [];
  private request: 'none' | 'pause' | 'stop' = 'none';
  private good: Snapshot | undefined;
  running = false;

  constructor(
    readonly trainer: GanTrainer,
    readonly settings: RunSettings,
    readonly events: RunEvents = {},
    readonly yieldFn: YieldFn = nodeYield,
  ) {}

  get done(): boolean {
    return this.trainer.iteration >= this.settings.iterations;
  }

  pause(): void {
    if (this.running) this.request = 'pause';
  }

  stop(): void {
    this.request = 'stop';
  }

  /** Runs until the last iteration, a pause or stop request, or a fault. Call again to resume after a pause. */
  async run(): Promise<RunOutcome> {
    if (this.running) throw new Error('TrainingRun.run() is already running');
    this.running = true;
    this.request = this.request === 'stop' ? 'stop' : 'none';
    try {
      if (!this.good) this.takeSnapshot();
      const { sampleInterval, checkEvery, iterations } = this.settings;
      let mark = performance.now();
      let markIteration = this.trainer.iteration;
      while (this.trainer.iteration < iterations) {
        if (this.request !== 'none') return this.request === 'stop' ? 'stopped' : 'paused';
        const t = this.trainer.step();
        const i = this.trainer.iteration;
        const atCheckpoint = i % sampleInterval === 0;
        if (i % checkEvery === 0 || atCheckpoint || i === iterations) {
          const stats = await readStats(i, t);
          disposeStats(t);
          if (!finite(stats)) {
            this.restore(stats);
            return 'fault';
          }
          const now = performance.now();
          const msPerIteration = (now - mark) / Math.max(1, i - markIteration);
          mark = now;
          markIteration = i;
          this.fine.push(stats);
          this.events.progress?.({ iteration: i, msPerIteration, stats });
          if (atCheckpoint) {
            this.history.push(stats);
            await this.events.checkpoint?.(stats, formatLogLine(stats));
            if (this.events.sample) {
              const plan = this.gridPlan();
              await this.events.sample(i, await this.grid(plan), plan);
            }
            this.takeSnapshot();
            // Reading back and drawing took time that is not training time.
            mark = performance.now();
          }
        } else {
          disposeStats(t);
        }
        await this.yieldFn();
      }
      return 'finished';
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (/out of memory|OOM|allocate/i.test(message)) {
        this.events.fault?.({ code: 'train.outOfMemory', args: { detail: message } });
        return 'fault';
      }
      throw e;
    } finally {
      this.running = false;
    }
  }

  /** The current 4×4 grid (or `gridSize` images): the same z every time with fixedNoise, else fresh z per iteration. */
  async grid(plan = this.gridPlan()): Promise<Float32Array> {
    const key = this.settings.fixedNoise ? 'fixed' : String(this.trainer.iteration);
    const seed = hashString(`grid:${this.settings.gridSeed ?? 0}:${key}`);
    const zSize = this.trainer.gan.zSize;
    if (plan) {
      // Fixed noise: one z per repetition of the digits, shared across them (style held, digit changed); else fresh
      // z for every cell, as the book's sample_images.
      const n = plan.labels.length;
      const z = this.settings.fixedNoise
        ? tf.tidy(() => tf.gather(tf.randomNormal([plan.zCount, zSize], 0, 1, 'float32', seed), tf.tensor1d(plan.zIndex, 'int32')))
        : tf.randomNormal([n, zSize], 0, 1, 'float32', seed);
      try {
        return await this.trainer.sample(n, z, plan.labels);
      } finally {
        z.dispose();
      }
    }
    const n = this.settings.gridSize ?? 16;
    const z = tf.randomNormal([n, zSize], 0, 1, 'float32', seed);
    try {
      return await this.trainer.sample(n, z);
    } finally {
      z.dispose();
    }
  }

  /** A conditional GAN's grid layout (digits per cell, shared z); undefined for an unconditional GAN. */
  gridPlan(): ConditionalGridPlan | undefined {
    const classes = this.trainer.gan.labelClasses;
    if (classes === undefined) return undefined;
    const asked = (this.settings.sampleLabels ?? []).filter((l) => Number.isInteger(l) && l >= 0 && l < classes);
    return conditionalGridPlan(asked.length > 0 ? asked : allLabels(classes));
  }

  private takeSnapshot(): void {
    const next: Snapshot = { state: holdState(this.trainer), history: this.history.length };
    this.disposeSnapshot();
    this.good = next;
  }

  /** Puts weights, optimizer state, random state and history back to the last good snapshot and reports why. */
  private restore(bad: IterationStats): void {
    const s = this.good!;
    restoreState(this.trainer, s.state);
    const at = s.state.iteration;
    this.history.length = s.history;
    while (this.fine.length > 0 && this.fine[this.fine.length - 1].iteration > at) this.fine.pop();
    const which = !Number.isFinite(bad.dLoss) ? 'D loss' : !Number.isFinite(bad.gLoss) ? 'G loss' : 'D accuracy';
    const value = !Number.isFinite(bad.dLoss) ? bad.dLoss : !Number.isFinite(bad.gLoss) ? bad.gLoss : bad.acc;
    this.events.fault?.({ code: 'train.nonFinite', args: { iteration: bad.iteration, which, value: String(value), checkpoint: at } });
  }

  private disposeSnapshot(): void {
    if (!this.good) return;
    disposeState(this.good.state);
    this.good = undefined;
  }

  dispose(): void {
    this.disposeSnapshot();
  }
}
