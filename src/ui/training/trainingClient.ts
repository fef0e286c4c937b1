// The page's side of the training worker: starts it, sends commands, and folds its events into Svelte stores the
// panel renders. No training math here — only bookkeeping of what the worker reported.
import { get, writable } from 'svelte/store';
import type { Msg } from '../../i18n/ui';
import type { GraphDocument } from '../../graph/document';
import type { IterationStats } from '../../io/logLine';
import type { BackendName, FromWorker, QualitySettings, SessionSettings, SessionStatus, ToWorker } from '../../worker/protocol';
import type { NearestImage } from '../../worker/nearest';
import { MNIST_ASSET } from '../../data/mnist';
import { activeStage, healthAlerts, qualityCost, qualityOff, qualityReference, scores } from './trainingStore';
import { trainingErrorMessage } from '../recovery/errors';

export interface Grid {
  iteration: number;
  pixels: Float32Array;
  count: number;
  width: number;
  height: number;
  /** A conditional GAN's grid: the digit each cell asks for, and the columns. */
  labels?: number[];
  cols?: number;
  /** 1 (gray) or 3 (RGB, interleaved per pixel). */
  channels: number;
}

export interface Progress {
  iteration: number;
  msPerIteration: number;
  etaMs: number;
  numTensors: number;
}

/** Past grids kept for the timeline; older ones are dropped (each is 16×784 floats). */
const MAX_GRIDS = 200;
const MAX_LOG = 2000;

/** Drops entries at or after `iteration`: after a rollback (NaN guard, lost context) the worker replays from there. */
function trimFrom<T extends { iteration: number }>(list: T[], iteration: number): T[] {
  let n = list.length;
  while (n > 0 && list[n - 1].iteration >= iteration) n--;
  return n === list.length ? list : list.slice(0, n);
}

/** The live client (the training panel's), so teaching code (src/ui/teach) talks to the same worker and session. */
/** Losses are read back every CHECK_EVERY iterations: often enough for a fine chart, rare enough not to stall WebGL. */
export const CHECK_EVERY = 10;

/** Samples per score in the browser (src/eval/meter.ts DEFAULT_SAMPLES.browser; not imported: that module loads tfjs). */
export const QUALITY_SAMPLES = 2000;
/** Scoring may take this share of the time; more often would slow training by more than ~5%. */
export const QUALITY_BUDGET = 0.05;

/**
 * The quality meter's settings: 2,000 samples within a 5% time budget, unless the address says otherwise (for tests
 * and slow machines, documented in the README): `?evalSamples=N` (100–60,000) and `?evalEvery=1` (score every sample
 * interval, whatever it costs). An unusable value is ignored and the default kept, as the address is not an editor.
 */
export function qualitySettings(search: string): QualitySettings {
  const q = new URLSearchParams(search);
  const n = Number(q.get('evalSamples'));
  const samples = Number.isInteger(n) && n >= 100 && n <= 60000 ? n : QUALITY_SAMPLES;
  return { samples, budget: q.get('evalEvery') === '1' ? 1 : QUALITY_BUDGET };
}

/** The settings a session runs with: the document's training block, 4×4 grids, fresh z per grid unless `fixedNoise`. */
export function sessionSettings(doc: GraphDocument, fixedNoise = false): SessionSettings {
  const t = doc.training;
  const quality = qualitySettings(typeof location === 'undefined' ? '' : location.search);
  return { iterations: t.iterations, batchSize: t.batchSize, sampleInterval: t.sampleInterval, checkEvery: CHECK_EVERY, fixedNoise, gridSize: 16, quality };
}

/** The memorisation check's answer: the nearest training images and their shape, or why there are none. */
export interface NearestAnswer {
  matches: NearestImage[];
  width: number;
  height: number;
  channels: 1 | 3;
  error?: Msg;
}

export const currentClient = writable<TrainingClient | null>(null);

export class TrainingClient {
  readonly status = writable<SessionStatus>('idle');
  readonly iteration = writable(0);
  readonly backend = writable<{ name: BackendName; requested: BackendName } | null>(null);
  /** The latest backend announcement (a fallback and why); shown in a role="status" line. */
  readonly announcement = writable<Msg | null>(null);
  readonly progress = writable<Progress | null>(null);
  /** Per sample_interval: the seed's two charts. */
  readonly history = writable<IterationStats[]>([]);
  /** Per checkEvery iterations: the finer view. */
  readonly fine = writable<IterationStats[]>([]);
  readonly log = writable<{ iteration: number; line: string }[]>([]);
  readonly grids = writable<Grid[]>([]);
  /** The last training fault (e.g. NaN); cleared by the next run or resume. */
  readonly fault = writable<Msg | null>(null);
  /** Errors for the role="alert" line: a catalogue message or raw text. */
  readonly error = writable<Msg | string | null>(null);
  /** Values of the last hand-taken step, for the stage readout. */
  readonly lastStep = writable<{ stage: 'D' | 'G'; stats: Partial<IterationStats> } | null>(null);
  /** Auto's decision for this machine (asked once with probeAuto). */
  readonly auto = writable<{ backend: BackendName; reason: Msg } | null>(null);
  /** The last fresh session this client started (not a resume): the runs library records one run per start. */
  readonly started = writable<{ doc: GraphDocument; settings: SessionSettings; backend: BackendName } | null>(null);
  private worker: Worker | undefined;
  /** Other page modules' views of the worker's messages (the walkthrough, model downloads). */
  private listeners = new Set<(msg: FromWorker) => void>();
  private nearestRequests = 0;

  constructor() {
    currentClient.set(this);
  }

  /** Calls `fn` with every message from the worker; returns the unsubscribe. */
  listen(fn: (msg: FromWorker) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Starts the worker ahead of the first Run (the page calls this when idle): tfjs loads, MNIST is fetched and
   * checked and the backend is set before the person presses Run, so the first numbers appear within seconds.
   */
  warm(backend: BackendName): void {
    const base = new URL(import.meta.env.BASE_URL, document.baseURI);
    this.send({ type: 'prefetch', backend, mnistUrl: new URL(MNIST_ASSET, base).href });
  }

  /** Asks the worker which backend Auto picks here; resolves with the decision (also kept in `auto`). */
  probeAuto(): Promise<{ backend: BackendName; reason: Msg }> {
    const known = get(this.auto);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => {
      const stop = this.listen((msg) => {
        if (msg.type === 'auto') {
          stop();
          resolve({ backend: msg.backend, reason: msg.reason });
        }
      });
      this.send({ type: 'probeAuto' });
    });
  }

  /** The training images nearest to one sample (`pixels` in [0, 1]), computed in the worker. */
  nearest(pixels: Float32Array, k = 3): Promise<NearestAnswer> {
    const request = ++this.nearestRequests;
    return new Promise((resolve) => {
      const stop = this.listen((msg) => {
        if (msg.type === 'nearest' && msg.request === request) {
          stop();
          resolve({ matches: msg.matches, width: msg.width, height: msg.height, channels: msg.channels, ...(msg.error ? { error: msg.error } : {}) });
        }
      });
      this.send({ type: 'nearest', request, pixels, k });
    });
  }

  /** Sends a message that has no method of its own here (teachMessages.ts). */
  post(msg: ToWorker): void {
    this.send(msg);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('../../worker/trainingWorker.ts', import.meta.url), { type: 'module', name: 'ganvas-training' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    // A worker that fails to load or throws outside our handlers must still reach the person.
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.error.set({ scope: 'ui', key: 'training.workerFailed', args: { detail: e.message || 'unknown error' } });
      this.status.set('idle');
      activeStage.set(null);
    };
    worker.onmessageerror = () => this.error.set({ scope: 'ui', key: 'training.workerFailed', args: { detail: 'message could not be read' } });
    this.worker = worker;
    return worker;
  }

  private send(msg: ToWorker): void {
    this.ensureWorker().postMessage(msg);
  }

  start(doc: GraphDocument, settings: SessionSettings, backend: BackendName, paused = false): void {
    // First, so the runs library starts a new run before the stores below are cleared for it.
    this.started.set({ doc, settings, backend });
    this.history.set([]);
    this.fine.set([]);
    this.log.set([]);
    this.grids.set([]);
    this.fault.set(null);
    this.error.set(null);
    this.lastStep.set(null);
    this.progress.set(null);
    scores.set([]);
    qualityReference.set(null);
    qualityCost.set(null);
    qualityOff.set(null);
    healthAlerts.set(null);
    const base = new URL(import.meta.env.BASE_URL, document.baseURI);
    this.send({ type: 'start', doc, settings, backend, paused, mnistUrl: new URL(MNIST_ASSET, base).href });
  }

  pause(): void {
    this.send({ type: 'pause' });
  }
  resume(doc: GraphDocument, settings: SessionSettings): void {
    this.fault.set(null);
    this.error.set(null);
    this.send({ type: 'resume', doc, settings });
  }
  stop(): void {
    this.send({ type: 'stop' });
  }
  step(kind: 'stepD' | 'stepG' | 'stepIteration', doc: GraphDocument, settings: SessionSettings): void {
    this.error.set(null);
    this.send({ type: kind, doc, settings });
  }
  setBackend(backend: BackendName): void {
    if (this.worker) this.send({ type: 'setBackend', backend });
  }
  /**
   * Moves the session to `backend` with its weights and optimizer state, and goes on training if it was running: the
   * worker pauses at the next iteration boundary, moves, then resumes (it handles the three in order).
   */
  moveTo(backend: BackendName, running: boolean, doc: GraphDocument, settings: SessionSettings): void {
    if (running) this.pause();
    this.setBackend(backend);
    if (running) this.resume(doc, settings);
  }
  /** Debug/tests: make the worker lose its WebGL context. */
  loseContext(): void {
    this.send({ type: 'loseContext' });
  }

  private receive(msg: FromWorker): void {
    for (const fn of this.listeners) fn(msg);
    switch (msg.type) {
      case 'status':
        this.status.set(msg.status);
        this.iteration.set(msg.iteration);
        if (msg.status !== 'running') activeStage.update((s) => (s === 'run' ? null : s));
        if (msg.status === 'stopped' || msg.status === 'idle') activeStage.set(null);
        break;
      case 'auto':
        this.auto.set({ backend: msg.backend, reason: msg.reason });
        break;
      case 'backend':
        this.backend.set({ name: msg.name, requested: msg.requested });
        if (msg.fallback) this.announcement.set(msg.fallback);
        else if (msg.note) this.announcement.set(msg.note);
        else if (msg.name === msg.requested) this.announcement.set(null);
        if (msg.fallback?.key === 'train.contextLost') this.rollback(Number(msg.fallback.args?.iteration ?? 0) + 1);
        break;
      case 'progress': {
        const { stats, iteration, msPerIteration, etaMs, numTensors } = msg;
        this.iteration.set(iteration);
        this.progress.set({ iteration, msPerIteration, etaMs, numTensors });
        this.fine.update((f) => [...trimFrom(f, iteration), stats]);
        break;
      }
      case 'checkpoint':
        this.history.update((h) => [...trimFrom(h, msg.stats.iteration), msg.stats]);
        this.log.update((l) => [...trimFrom(l, msg.stats.iteration), { iteration: msg.stats.iteration, line: msg.line }].slice(-MAX_LOG));
        break;
      case 'sample':
        this.grids.update((g) =>
          [
            ...g,
            { iteration: msg.iteration, pixels: msg.pixels, count: msg.count, width: msg.width, height: msg.height, channels: msg.channels ?? 1, ...(msg.labels ? { labels: msg.labels, cols: msg.cols } : {}) },
          ].slice(-MAX_GRIDS),
        );
        break;
      case 'stage':
        activeStage.set(msg.stage);
        if (msg.stats && (msg.stage === 'D' || msg.stage === 'G')) this.lastStep.set({ stage: msg.stage, stats: msg.stats });
        if (msg.stats?.iteration !== undefined) this.iteration.set(msg.stats.iteration);
        break;
      case 'scores':
        scores.update((list) => [...trimFrom(list, msg.iteration), { iteration: msg.iteration, scores: msg.scores, ...(msg.perLabelAccuracy ? { perLabelAccuracy: msg.perLabelAccuracy } : {}) }]);
        if (msg.reference) qualityReference.set(msg.reference);
        qualityCost.set(msg.cost);
        break;
      case 'qualityOff':
        qualityOff.set(msg.reason);
        break;
      case 'health':
        healthAlerts.set({ iteration: msg.iteration, alerts: msg.alerts });
        break;
      case 'fault':
        this.fault.set(msg.fault);
        if (msg.fault.key === 'train.nonFinite') this.rollback(Number(msg.fault.args?.checkpoint ?? 0) + 1);
        break;
      case 'error':
        // Raw errors that mean exhausted memory become train.outOfMemory ("try a smaller batch").
        this.error.set(msg.msg ?? trainingErrorMessage(msg.message));
        break;
    }
  }

  /** Forgets what was reported after the checkpoint the worker went back to. */
  private rollback(from: number): void {
    this.history.update((h) => trimFrom(h, from));
    this.fine.update((f) => trimFrom(f, from));
    this.log.update((l) => trimFrom(l, from));
    this.grids.update((g) => trimFrom(g, from));
    scores.update((list) => trimFrom(list, from));
    this.iteration.set(from - 1);
  }

  get running(): boolean {
    const s = get(this.status);
    return s === 'running' || s === 'loading';
  }

  dispose(): void {
    currentClient.update((c) => (c === this ? null : c));
    this.worker?.terminate();
    this.worker = undefined;
    activeStage.set(null);
  }
}
