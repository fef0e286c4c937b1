// The typed message protocol between the page (TrainingClient) and the training worker. Everything crossing the
// boundary is structured-clone friendly: plain objects, numbers, strings, Float32Arrays (transferred, not copied).
import type { Msg } from '../i18n/ui';
import type { BackendName } from '../train/backend';
import type { GraphDocument } from '../graph/document';
import type { IterationStats } from '../io/logLine';
import type { TeachFromWorker, TeachToWorker } from './teachMessages';
import type { RecoveryFromWorker, RecoveryToWorker } from './recoveryMessages';
import type { Scores } from '../eval/scores';
import type { HealthAlertKind } from '../eval/health';
import type { NearestImage } from './nearest';

export type { BackendName };

export interface SessionSettings {
  iterations: number;
  batchSize: number;
  sampleInterval: number;
  /** Losses are read back every this many iterations: the fine chart and the ms/iteration meter. */
  checkEvery: number;
  fixedNoise: boolean;
  /** Images per grid: 16 for the book's 4×4. */
  gridSize: number;
  /** The quality meter at each sample interval (absent: no scoring). */
  quality?: QualitySettings;
}

export interface QualitySettings {
  /** Generated images per score (DEFAULT_SAMPLES.browser, 2,000). */
  samples: number;
  /**
   * The share of the time scoring may take: 0.05 scores every sample interval while that keeps training within ~5%
   * of its unscored speed, else every k-th interval (see dueForScore); 1 scores every interval whatever it costs.
   */
  budget: number;
}

/** A training-health alert (src/eval/health.ts) as the panel shows it: what was measured and what to try. */
export interface HealthNotice {
  kind: HealthAlertKind;
  iteration: number;
  msg: Msg;
}

/** A message from the engine (src/i18n/messages.ts) or UI (src/i18n/ui.ts) catalogue, rendered in the page's language. */
export type { Msg };

// ---- page → worker ----
export type ToWorker =
  /** The walkthrough and model downloads (teachMessages.ts). */
  | TeachToWorker
  /** Checkpoints kept by the page and resumed after a reload (recoveryMessages.ts). */
  | RecoveryToWorker
  /** Loads MNIST (once), sets the backend, compiles `doc`, and runs unless `paused` (then it waits for steps). */
  | { type: 'start'; doc: GraphDocument; settings: SessionSettings; backend: BackendName; paused?: boolean; mnistUrl: string }
  | { type: 'pause' }
  /** `doc`/`settings` as they are now: a changed learning rate (or other weight-compatible edit) is applied first. */
  | { type: 'resume'; doc: GraphDocument; settings: SessionSettings }
  | { type: 'stop' }
  | { type: 'stepD'; doc: GraphDocument; settings: SessionSettings }
  | { type: 'stepG'; doc: GraphDocument; settings: SessionSettings }
  | { type: 'stepIteration'; doc: GraphDocument; settings: SessionSettings }
  /** Moves a paused session to another backend (weights and optimizer state travel), or sets the next run's. */
  | { type: 'setBackend'; backend: BackendName }
  /** Debug/tests: loses the WebGL context on purpose (WEBGL_lose_context) to exercise the fallback. */
  | { type: 'loseContext' }
  /** Sent when the page is idle: loads MNIST and sets the backend ahead of the first Run, so it starts sooner. */
  | { type: 'prefetch'; mnistUrl: string; backend: BackendName }
  /** Asks which backend Auto picks here, and why (answered with `auto`). */
  | { type: 'probeAuto' }
  /** The memorisation check: the training images nearest to one sample (`pixels` in [0, 1], the data's shape). */
  | { type: 'nearest'; request: number; pixels: Float32Array; k?: number };

export type SessionStatus = 'idle' | 'loading' | 'running' | 'paused' | 'stopped' | 'finished';

/** Which network an update touches: D stage (G frozen), G stage (D frozen), or continuous alternation. */
export type Stage = 'D' | 'G' | 'run';

// ---- worker → page ----
export type FromWorker =
  | TeachFromWorker
  | RecoveryFromWorker
  | { type: 'status'; status: SessionStatus; iteration: number }
  /** The backend in use; `fallback` says why it is not the one asked for (shown as an announcement). */
  | { type: 'backend'; name: BackendName; requested: BackendName; fallback?: Msg; note?: Msg }
  | { type: 'auto'; backend: BackendName; reason: Msg }
  | { type: 'progress'; iteration: number; msPerIteration: number; etaMs: number; numTensors: number; stats: IterationStats }
  | { type: 'checkpoint'; stats: IterationStats; line: string }
  /** `count` images of width×height×channels, values in [0, 1], row-major, channels interleaved (absent: 1). A
   * conditional GAN's grid also says the digit each cell asks for and its columns (the book's 2×5). */
  | { type: 'sample'; iteration: number; pixels: Float32Array; count: number; width: number; height: number; channels?: 1 | 3; labels?: number[]; cols?: number }
  /** A stage began (`stats` absent) or finished (`stats` present: the values that step measured). null: idle. */
  | { type: 'stage'; stage: Stage | null; iteration: number; stats?: Partial<IterationStats> }
  /** A training fault (e.g. train.nonFinite): the session is paused and can resume. */
  | { type: 'fault'; fault: Msg }
  /**
   * The quality meter's scores of `scores.samples` generated images at a sample interval, real data's at the same N
   * (`reference`, when shipped), a conditional GAN's per-label accuracy, and what scoring cost: `ms` in the worker,
   * against `trainingMs`, the training time since the previous score (absent for the first).
   */
  | { type: 'scores'; iteration: number; scores: Scores; reference?: Scores; perLabelAccuracy?: number[]; cost: { ms: number; trainingMs?: number } }
  /** The meter cannot score this run (not MNIST digits, or its classifier did not load): said instead of numbers. */
  | { type: 'qualityOff'; reason: Msg }
  /** After each sample interval: every health alert the measurements so far support (none: healthy). */
  | { type: 'health'; iteration: number; alerts: HealthNotice[] }
  /** The answer to `nearest`: the training images nearest first, or why there are none. */
  | { type: 'nearest'; request: number; matches: NearestImage[]; width: number; height: number; channels: 1 | 3; error?: Msg }
  /** Anything else that went wrong: `msg` when it is a known case, else the raw `message`. */
  | { type: 'error'; message: string; msg?: Msg };
