// One training session as the worker runs it: compile → GanTrainer → TrainingRun, stepping, pause/resume, and a
// backend-independent copy of the last checkpoint (the trainer's state from src/train/state.ts as plain Float32Arrays,
// plus the run's history) so training can move to another backend — or survive a lost WebGL context — and carry on.
// Environment-free (no fetch, no WebGL): the worker entry injects the data and the backend switch, tests use cpu.
import * as tf from '@tensorflow/tfjs';
import { compileGan, type CompiledGan } from '../train/compile';
import type { GraphDocument } from '../graph/document';
import { TrainingRun, type RunOutcome, type YieldFn } from '../train/run';
import { GanTrainer } from '../train/trainer';
import { captureState, restoreState, stateMismatch, type TrainerState } from '../train/state';
import type { ImageSource } from '../data/imageSource';
import type { ConditionalGridPlan } from '../io/sampleGrid';
import { formatLogLine, type IterationStats } from '../io/logLine';
import type { BackendName, FromWorker, SessionSettings, SessionStatus, Stage } from './protocol';
import type { Checkpoint } from '../io/checkpoint';
import { postCheckpoint } from './recoveryMessages';
import type { QualityMeter } from '../eval/meter';
import type { ScorePoint, Scores } from '../eval/scores';
import { healthAlerts } from '../eval/health';
import { dueForScore, PROBE_SAMPLES, qualityNotApplicable, scoreGan } from './quality';

/** Everything needed to rebuild a session on any backend: the trainer's state (a hand-taken Step D included) and the run's stats. */
export interface SavedSession {
  state: TrainerState;
  history: IterationStats[];
  fine: IterationStats[];
}

export interface SessionHost {
  post(msg: FromWorker, transfer?: Transferable[]): void;
  yieldFn: YieldFn;
  /** Makes `name` the active tfjs backend; returns the one actually in use. */
  useBackend(name: BackendName): Promise<BackendName>;
  /** The quality meter on the current backend (loaded once per backend); absent: no scoring. */
  meter?: () => Promise<QualityMeter>;
}

interface Live {
  doc: GraphDocument;
  batchSize: number;
  gan: CompiledGan;
  trainer: GanTrainer;
  run: TrainingRun;
  /** Bumped on every rebuild; events of an abandoned run are ignored. */
  gen: number;
}

/** Between checkpoints, a backend-independent copy is taken at most this often (a read-back of all weights). */
const CAPTURE_EVERY_MS = 10_000;

/** The digits a conditional grid shows, from the document's training settings. */
const sampleLabelsOf = (doc: GraphDocument) => (doc.training.sampleLabels ? { sampleLabels: doc.training.sampleLabels } : {});

const read = async (t: tf.Tensor): Promise<Float32Array> => new Float32Array(await t.data());
/** Documents equal for training purposes (positions and labels do not matter). */
const trainingKey = (d: GraphDocument) =>
  JSON.stringify({ n: d.nodes.map((n) => [n.id, n.type, n.params]), e: d.edges.map((e) => [e.from, e.to]), s: d.training.seed });

export class TrainingSession {
  status: SessionStatus = 'idle';
  settings: SessionSettings;
  private live: Live | undefined;
  private gen = 0;
  /** The last sampleInterval checkpoint, backend-independent: what a lost context falls back to. */
  private checkpoint: SavedSession | undefined;
  private runPromise: Promise<void> | undefined;
  private lastCapture = 0;
  /** The run's scored checkpoints (the mode-collapse rule reads them). Not part of a checkpoint: a restored run
   * starts its scores afresh. */
  private scorePoints: ScorePoint[] = [];
  /** What the last score cost, and the training time since (from the run's own ms/iteration, pauses excluded). */
  private lastScoreMs: number | undefined;
  private trainingMsSinceScore = 0;
  private lastProgressIteration = 0;
  /** The meter's "does not apply" reason, posted once per run. */
  private qualityOffPosted = false;
  /** Real data's scores at N images not shipped with the classifier, computed once per size from this session's data. */
  private realData = new Map<number, Promise<Scores>>();

  constructor(
    readonly host: SessionHost,
    readonly data: ImageSource,
    settings: SessionSettings,
  ) {
    this.settings = { ...settings };
  }

  get iteration(): number {
    return this.live?.trainer.iteration ?? this.checkpoint?.state.iteration ?? 0;
  }

  get running(): boolean {
    return this.status === 'running';
  }

  private setStatus(status: SessionStatus): void {
    this.status = status;
    this.host.post({ type: 'status', status, iteration: this.iteration });
  }

  /** Compiles `doc` on the current backend and, given `from`, puts its weights and optimizer state back. */
  build(doc: GraphDocument, settings: SessionSettings, from?: SavedSession): boolean {
    const compiled = compileGan(doc);
    if (!compiled.ok) {
      this.host.post({ type: 'error', message: 'train.notCompilable', msg: { scope: 'engine', key: 'train.notCompilable' } });
      return false;
    }
    const gan = compiled.gan;
    if (from && stateMismatch(gan, from.state)) {
      gan.dispose();
      this.host.post({ type: 'error', message: 'training.graphChanged', msg: { scope: 'ui', key: 'training.graphChanged' } });
      return false;
    }
    this.disposeLive();
    const trainer = new GanTrainer(gan, this.data, settings.batchSize, doc.training.seed);
    const gen = ++this.gen;
    const run = new TrainingRun(trainer, { ...settings, ...sampleLabelsOf(doc) }, this.events(gen), this.host.yieldFn);
    if (from) {
      restoreState(trainer, from.state);
      run.history.push(...from.history);
      run.fine.push(...from.fine);
    }
    this.lastProgressIteration = trainer.iteration;
    this.live = { doc, batchSize: settings.batchSize, gan, trainer, run, gen };
    this.settings = { ...settings };
    return true;
  }

  /**
   * Reads the live session into plain arrays. The state is taken synchronously, so the copy is of this moment even
   * though WebGL reads back asynchronously while training goes on.
   */
  async capture(): Promise<SavedSession> {
    const l = this.live!;
    const history = [...l.run.history];
    const fine = [...l.run.fine];
    return { state: await captureState(l.trainer), history, fine };
  }

  /** Takes a backend-independent copy now and then between checkpoints, so a lost context costs little progress. */
  private maybeCapture(gen: number): void {
    const now = performance.now();
    if (now - this.lastCapture < CAPTURE_EVERY_MS) return;
    this.lastCapture = now;
    void this.capture().then(
      (saved) => {
        const { generator, discriminator } = saved.state;
        const finiteWeights = [...generator, ...discriminator].every((w) => w.data.every(Number.isFinite));
        if (gen === this.gen && finiteWeights && saved.state.iteration > (this.checkpoint?.state.iteration ?? -1)) this.checkpoint = saved;
      },
      () => undefined, // a capture cut short by a lost context or a rebuild: the previous copy stands
    );
  }

  private events(gen: number) {
    const current = () => gen === this.gen;
    return {
      progress: (p: { iteration: number; msPerIteration: number; stats: IterationStats }) => {
        if (!current()) return;
        const etaMs = Math.max(0, this.settings.iterations - p.iteration) * p.msPerIteration;
        if (p.iteration > this.lastProgressIteration) this.trainingMsSinceScore += p.msPerIteration * (p.iteration - this.lastProgressIteration);
        this.lastProgressIteration = p.iteration;
        this.host.post({ type: 'progress', iteration: p.iteration, msPerIteration: p.msPerIteration, etaMs, numTensors: tf.memory().numTensors, stats: p.stats });
        this.maybeCapture(gen);
      },
      checkpoint: async (stats: IterationStats, line: string) => {
        if (!current()) return;
        this.host.post({ type: 'checkpoint', stats, line });
        const state = await this.capture();
        this.lastCapture = performance.now();
        if (current()) this.checkpoint = state;
      },
      sample: (iteration: number, pixels: Float32Array, plan?: ConditionalGridPlan) => {
        if (!current()) return;
        this.postSample(iteration, pixels, plan);
        // The page keeps the newest checkpoint (IndexedDB), so a reload or a crashed tab can resume from here.
        const l = this.live;
        if (!l) return;
        postCheckpoint(l.doc, l.trainer, l.run, (m, t) => this.host.post(m, t));
        // Awaited inside the loop, so the scores are of this iteration's generator; scoreGan awaits between batches.
        return this.afterCheckpoint(l, iteration);
      },
      fault: (fault: { code: string; args: Record<string, string | number> }) => {
        if (!current()) return;
        if (fault.code === 'train.nonFinite') {
          this.forgetScoresAfter(Number(fault.args.checkpoint));
          this.lastProgressIteration = Number(fault.args.checkpoint);
        }
        this.host.post({ type: 'fault', fault: { scope: 'engine', key: fault.code, args: fault.args } });
      },
    };
  }

  /** Scores the checkpoint (when due and possible), then posts the health alerts the measurements support. */
  private async afterCheckpoint(l: Live, iteration: number): Promise<void> {
    await this.score(l, iteration);
    if (l.gen !== this.gen) return;
    const scores = this.scorePoints.map((p) => ({ iteration: p.iteration, ...p.scores }));
    const alerts = healthAlerts({ fine: l.run.fine, scores }).map((a) => ({ kind: a.kind, iteration: a.iteration, msg: { scope: 'engine' as const, key: a.code, args: a.args } }));
    this.host.post({ type: 'health', iteration, alerts });
  }

  private async score(l: Live, iteration: number): Promise<void> {
    const quality = this.settings.quality;
    const load = this.host.meter;
    if (!quality || !load) return;
    const off = qualityNotApplicable(l.doc, l.gan.imageShape);
    if (off) {
      if (!this.qualityOffPosted) this.host.post({ type: 'qualityOff', reason: off });
      this.qualityOffPosted = true;
      return;
    }
    if (!dueForScore(this.trainingMsSinceScore, this.lastScoreMs, quality.budget)) return;
    let meter: QualityMeter;
    try {
      meter = await load();
    } catch (e) {
      if (!this.qualityOffPosted) this.host.post({ type: 'qualityOff', reason: { scope: 'ui', key: 'quality.loadFailed', args: { detail: e instanceof Error ? e.message : String(e) } } });
      this.qualityOffPosted = true;
      return;
    }
    if (this.lastScoreMs === undefined && quality.budget < 1) {
      // No score yet, so no measured cost: time a small probe and hold the first full score to the budget by its
      // estimate, so a slow backend (the full DCGAN on software WebGL) never stalls training for minutes.
      const p0 = performance.now();
      await scoreGan(meter, l.gan, { iteration, samples: PROBE_SAMPLES, seed: l.doc.training.seed, yieldFn: this.host.yieldFn, batchSize: PROBE_SAMPLES });
      if (l.gen !== this.gen) return;
      this.lastScoreMs = ((performance.now() - p0) * quality.samples) / PROBE_SAMPLES;
      if (!dueForScore(this.trainingMsSinceScore, this.lastScoreMs, quality.budget)) return;
    }
    const samples = quality.samples;
    if (!this.realData.has(samples)) this.realData.set(samples, meter.realDataFrom(this.data, samples, { yieldFn: this.host.yieldFn }));
    const reference = await this.realData.get(samples)!.catch(() => undefined);
    const t0 = performance.now();
    const point = await scoreGan(meter, l.gan, { iteration, samples: quality.samples, seed: l.doc.training.seed, yieldFn: this.host.yieldFn });
    const ms = performance.now() - t0;
    if (l.gen !== this.gen) return;
    const trainingMs = this.lastScoreMs === undefined ? undefined : this.trainingMsSinceScore;
    this.lastScoreMs = ms;
    this.trainingMsSinceScore = 0;
    this.scorePoints.push(point);
    this.host.post({ type: 'scores', ...point, ...(reference ? { reference } : {}), cost: { ms, ...(trainingMs !== undefined ? { trainingMs } : {}) } });
  }

  /** After a rollback to `iteration` the run replays from there: its later scores no longer describe it. */
  private forgetScoresAfter(iteration: number): void {
    this.scorePoints = this.scorePoints.filter((p) => p.iteration <= iteration);
  }

  private resetScores(): void {
    this.scorePoints = [];
    this.lastScoreMs = undefined;
    this.trainingMsSinceScore = 0;
    this.lastProgressIteration = 0;
    this.qualityOffPosted = false;
  }

  private postSample(iteration: number, pixels: Float32Array, plan?: ConditionalGridPlan): void {
    // `channels`: 1 (MNIST) or 3 (a learner's colour dataset), interleaved per pixel.
    const [h, w, c = 1] = this.live!.gan.imageShape;
    const labelled = plan ? { labels: plan.labels, cols: plan.cols } : {};
    this.host.post({ type: 'sample', iteration, pixels, count: pixels.length / (h * w * c), width: w, height: h, channels: c === 3 ? 3 : 1, ...labelled }, [pixels.buffer]);
  }

  /** Starts a fresh session (or, with `paused`, prepares one for stepping). */
  async start(doc: GraphDocument, settings: SessionSettings, paused: boolean): Promise<void> {
    await this.halt();
    this.checkpoint = undefined;
    this.disposeLive();
    this.resetScores();
    if (!this.build(doc, settings)) return this.setStatus('idle');
    this.checkpoint = await this.capture();
    if (paused) this.setStatus('paused');
    else this.continue();
  }

  /** Rebuilds a stored run (a decoded checkpoint) on the current backend and runs on from it unless `paused`. */
  async restore(ckpt: Checkpoint, settings: SessionSettings, paused: boolean): Promise<void> {
    await this.halt();
    this.checkpoint = undefined;
    this.disposeLive();
    // A checkpoint is a trainer state with its document and history around it.
    const saved: SavedSession = { state: ckpt, history: ckpt.history.map((s) => ({ ...s })), fine: ckpt.fine.map((s) => ({ ...s })) };
    this.resetScores();
    if (!this.build(ckpt.doc, settings, saved)) return this.setStatus('idle');
    this.checkpoint = saved;
    if (paused) this.setStatus('paused');
    else this.continue();
  }

  /**
   * Applies edits made while paused: a new learning rate (any weight-compatible change) rebuilds the models and puts
   * the current weights and optimizer state back; iterations, sample interval and fixed noise apply in place.
   */
  async applyEdits(doc: GraphDocument, settings: SessionSettings): Promise<boolean> {
    const l = this.live;
    if (!l) return false;
    if (trainingKey(doc) !== trainingKey(l.doc) || settings.batchSize !== l.batchSize) {
      const state = await this.capture();
      if (!this.build(doc, settings, state)) return false;
      this.checkpoint = state;
      return true;
    }
    this.settings = { ...settings };
    Object.assign(l.run.settings, { iterations: settings.iterations, sampleInterval: settings.sampleInterval, checkEvery: settings.checkEvery, fixedNoise: settings.fixedNoise, sampleLabels: doc.training.sampleLabels });
    return true;
  }

  async resume(doc: GraphDocument, settings: SessionSettings): Promise<void> {
    if (!this.live || this.running) return;
    if (!(await this.applyEdits(doc, settings))) return;
    this.continue();
  }

  /** Runs the live TrainingRun in the background; pause/stop/context loss end it. */
  private continue(): void {
    const l = this.live!;
    if (l.run.done) return this.setStatus('finished');
    // A hand-taken D step leaves half an iteration: finish it with its G step so the loop starts on a boundary.
    l.trainer.finishIteration();
    this.setStatus('running');
    this.host.post({ type: 'stage', stage: 'run', iteration: l.trainer.iteration });
    const gen = l.gen;
    this.runPromise = l.run.run().then(
      (outcome) => this.settle(gen, outcome),
      (e: unknown) => {
        if (gen !== this.gen) return; // an abandoned run (lost context): its failure is expected
        this.host.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
        this.host.post({ type: 'stage', stage: null, iteration: this.iteration });
        this.setStatus('paused');
      },
    );
  }

  private settle(gen: number, outcome: RunOutcome): void {
    if (gen !== this.gen) return;
    this.host.post({ type: 'stage', stage: null, iteration: this.iteration });
    if (outcome === 'finished') this.setStatus('finished');
    else if (outcome === 'stopped') {
      this.setStatus('stopped');
    } else this.setStatus('paused'); // 'paused' or 'fault' (the fault event already carried the message)
  }

  pause(): void {
    this.live?.run.pause();
  }

  /** Ends the loop at the next iteration boundary; stop() then frees the models. */
  requestStop(): void {
    if (this.running) this.live?.run.stop();
  }

  /** Asks the loop to pause and waits until it has. */
  async halt(): Promise<void> {
    if (!this.running) return;
    this.pause();
    await this.runPromise;
  }

  async stop(): Promise<void> {
    if (this.running) {
      this.live?.run.stop();
      await this.runPromise;
    }
    if (this.status !== 'stopped' && this.live) this.setStatus('stopped');
    this.disposeLive();
    this.checkpoint = undefined;
  }

  /** One hand-driven stage: 'D' (G frozen), 'G' (D frozen), or a whole iteration. Posts stage events and stats. */
  async step(kind: Stage | 'iteration', doc: GraphDocument, settings: SessionSettings): Promise<void> {
    if (this.running) return;
    if (!this.live || !(await this.applyEdits(doc, settings))) return;
    const { trainer, run } = this.live;
    const post = (stage: Stage, stats?: Partial<IterationStats>) => this.host.post({ type: 'stage', stage, iteration: trainer.iteration, ...(stats ? { stats } : {}) });
    const stats: Partial<IterationStats> = {};
    if (kind === 'D' || kind === 'iteration') {
      post('D');
      const d = trainer.stepD();
      const [dl, acc] = await Promise.all([d.dLoss.data(), d.acc.data()]);
      tf.dispose([d.dLoss, d.acc]);
      Object.assign(stats, { dLoss: dl[0], acc: acc[0] });
      post('D', { ...stats });
    }
    if (kind === 'G' || kind === 'iteration') {
      post('G');
      // A G step completes the iteration its D step began (the book's order: D, then G); the trainer counts it.
      const g = trainer.stepG();
      stats.gLoss = (await g.data())[0];
      g.dispose();
      stats.iteration = trainer.iteration;
      post('G', { ...stats });
      if (kind === 'iteration' && stats.dLoss !== undefined) {
        const full = stats as IterationStats;
        this.host.post({ type: 'checkpoint', stats: full, line: formatLogLine(full) });
      }
      this.postSample(trainer.iteration, await run.grid());
    }
    this.host.post({ type: 'status', status: this.status, iteration: trainer.iteration });
  }

  /**
   * Lends the live models to teaching code (teachMessages.ts: the walkthrough, model downloads). Given `edits`, the
   * session must be paused: the edits are applied and a hand-taken D step's G step is finished first, so a walkthrough
   * begins on an iteration boundary. Without, the models are lent as they are (reading weights only).
   */
  async borrow(edits?: { doc: GraphDocument; settings: SessionSettings }): Promise<Pick<Live, 'gan' | 'trainer' | 'run'> | undefined> {
    if (!this.live) return undefined;
    if (edits) {
      if (this.running || !(await this.applyEdits(edits.doc, edits.settings))) return undefined;
      this.live.trainer.finishIteration();
    }
    return this.live;
  }

  /** Moves the session to another backend with its weights and optimizer state (a voluntary, paused switch). */
  async moveTo(backend: BackendName): Promise<BackendName> {
    await this.halt();
    const state = this.live ? await this.capture() : undefined;
    const doc = this.live?.doc;
    this.disposeLive();
    const name = await this.host.useBackend(backend);
    if (state && doc) {
      this.build(doc, this.settings, state);
      this.checkpoint = state;
    }
    return name;
  }

  /**
   * The WebGL context is gone: abandon the live objects (their textures are already lost, and reads on a lost
   * context may never settle), switch backend, rebuild from the last checkpoint and, if it was running, go on.
   */
  async recover(backend: BackendName): Promise<{ name: BackendName; iteration: number } | undefined> {
    const wasRunning = this.running;
    const doc = this.live?.doc;
    this.gen++;
    // Freeing textures on a lost context only drops bookkeeping (no reads), so numTensors stays honest.
    try {
      this.disposeLive();
    } catch {
      this.live = undefined;
    }
    const name = await this.host.useBackend(backend);
    if (!doc || !this.checkpoint) {
      this.setStatus('idle');
      return { name, iteration: 0 };
    }
    if (!this.build(doc, this.settings, this.checkpoint)) return undefined;
    this.forgetScoresAfter(this.checkpoint.state.iteration);
    if (wasRunning) this.continue();
    else this.setStatus('paused');
    return { name, iteration: this.checkpoint.state.iteration };
  }

  private disposeLive(): void {
    const l = this.live;
    if (!l) return;
    this.live = undefined;
    l.run.dispose();
    l.trainer.dispose();
    l.gan.dispose();
  }
}
