// Records every training run into the library: a fresh start (TrainingClient.started) opens a new run; while the
// session trains, its history, fine series, grids, last checkpoint and scores are mirrored into that run and saved
// (at most every SAVE_DELAY_MS, and at once when the session pauses, stops or finishes). A reopened run becomes the
// current one, so Resume goes on recording into it. No training math: only what the client already reports.
import { get, writable, type Writable } from 'svelte/store';
import { cloneDocument, type GraphDocument } from '../../graph/document';
import type { IterationStats } from '../../io/logLine';
import { presetDocument } from '../state/persistence';
import { lang } from '../state/language';
import { t } from '../../i18n/ui';
import type { BackendName, SessionSettings, SessionStatus } from '../../worker/protocol';
import { currentClient, sessionSettings, type Grid, type TrainingClient } from '../training/trainingClient';
import { readRun, runs, saveRun } from './runStore';
import { MAX_RUN_FINE, MAX_RUN_GRIDS, quantizeGrid, thinEvenly, type RunRecord, type ScorePoint, type StoredGrid } from './types';

const SAVE_DELAY_MS = 400;
/** Which run the live session writes into, across a reload (the resume offer continues that run). */
export const CURRENT_RUN_KEY = 'ganvas.runs.current';

/** The id of the run the canvas and the training panel show now (being recorded, or reopened). */
export const currentRunId = writable<string | null>(null);

let current: RunRecord | null = null;
/** Grids a reopened or adopted run had before this session's: kept ahead of the session's own. */
let baseGrids: StoredGrid[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
let needWhole = false;
let chain: Promise<unknown> = Promise.resolve();

const live = (s: SessionStatus) => s === 'loading' || s === 'running' || s === 'paused';

function setCurrent(rec: RunRecord | null, base: StoredGrid[] = []) {
  flush();
  current = rec;
  baseGrids = base;
  currentRunId.set(rec?.id ?? null);
  try {
    if (rec) localStorage.setItem(CURRENT_RUN_KEY, rec.id);
  } catch {
    // Storage blocked: a reload then starts a new run instead of continuing this one.
  }
}

function save() {
  timer = undefined;
  if (adopting) {
    void adopting.then(() => timer === undefined && save());
    return;
  }
  const rec = current;
  if (!rec || rec.history.length + rec.fine.length + rec.grids.length === 0) return;
  rec.updatedAt = new Date().toISOString();
  const whole = needWhole;
  needWhole = false;
  chain = chain.then(() => saveRun(rec, !whole));
}
function dirty(whole: boolean) {
  needWhole ||= whole;
  timer ??= setTimeout(save, SAVE_DELAY_MS);
}
function flush() {
  if (timer === undefined) return;
  clearTimeout(timer);
  save();
}

/** Resolves once every save handed over so far has finished (tests, and before reading the library). */
export async function flushRuns(): Promise<void> {
  await adopting;
  flush();
  await chain;
}

function defaultName(docName: string): string {
  const l = get(lang);
  const name = docName === presetDocument().name ? t('preset.classic', {}, l) : docName;
  return t('runs.defaultName', { name, n: get(runs).length + 1 }, l);
}

/** The quality meter's live scores, when the page has a meter (recordRuns' argument). */
let scoreStore: Writable<ScorePoint[]> | undefined;

/** Makes a reopened run the current one (before its charts are put back on the client), and puts its scores back. */
export function adoptRun(rec: RunRecord): void {
  setCurrent(rec, []);
  scoreStore?.set((rec.scores ?? []).map((p) => ({ ...p })));
}

/** True while reopenRun puts a run's charts back on the client: those are the current run's own. */
let putting = false;
export function puttingBack<T>(fn: () => T): T {
  putting = true;
  try {
    return fn();
  } finally {
    putting = false;
  }
}

function quantized(cache: WeakMap<Grid, StoredGrid>, g: Grid): StoredGrid {
  let q = cache.get(g);
  if (!q) cache.set(g, (q = quantizeGrid(g)));
  return q;
}

/** Whether two histories agree on every iteration both have (and share at least one): the same run's. */
function sameRun(a: readonly IterationStats[], b: readonly IterationStats[]): boolean {
  const n = Math.min(a.length, b.length);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false;
  return true;
}

/** Set while a stored run's grids and checkpoint are being read back for an adopted run: saving waits for them. */
let adopting: Promise<void> | null = null;

/**
 * A session trains with no current run: a checkpoint was put back by the recovery bar (the resume offer after a
 * reload, or a checkpoint file). It continues the library's run whose history it extends (the one recorded last is
 * tried first); otherwise it is a new run, once its graph is known (a checkpoint carries it).
 */
function adoptLive(client: TrainingClient, doc: GraphDocument | undefined, scores: boolean) {
  const history = get(client.history);
  let last: string | null = null;
  try {
    last = localStorage.getItem(CURRENT_RUN_KEY);
  } catch {
    last = null;
  }
  const candidates = [...get(runs)].sort((a, b) => (a.id === last ? -1 : b.id === last ? 1 : 0));
  const known = candidates.find((r) => sameRun(r.history, history));
  if (known) {
    const rec: RunRecord = { ...known, grids: known.lastGrid ? [known.lastGrid] : [], checkpoint: null };
    setCurrent(rec, rec.grids);
    needWhole = true;
    adopting = readRun(known.id).then((full) => {
      adopting = null;
      if (!full || current !== rec) return;
      baseGrids = full.grids;
      const storedUpTo = full.grids.at(-1)?.iteration ?? -1;
      rec.grids = thinEvenly([...full.grids, ...rec.grids.filter((g) => g.iteration > storedUpTo)], MAX_RUN_GRIDS);
      if (!rec.checkpoint) {
        rec.checkpoint = full.checkpoint;
        rec.checkpointIteration = full.checkpointIteration;
      }
    });
    return;
  }
  if (!doc) return;
  const settings = sessionSettings(doc);
  setCurrent(newRun(doc, settings, get(client.backend)?.name ?? null, scores));
  current!.history = history.map((x) => ({ ...x }));
}

function newRun(doc: GraphDocument, settings: SessionSettings, backend: BackendName | null, scores: boolean): RunRecord {
  const now = new Date().toISOString();
  return {
    id: crypto.randomUUID(),
    name: defaultName(doc.name),
    createdAt: now,
    updatedAt: now,
    doc: cloneDocument(doc),
    settings: { ...settings },
    backend,
    status: 'loading',
    iteration: 0,
    history: [],
    fine: [],
    ...(scores ? { scores: [] } : {}),
    lastGrid: null,
    checkpointIteration: null,
    grids: [],
    checkpoint: null,
  };
}

function attach(client: TrainingClient, scores?: Writable<ScorePoint[]>): () => void {
  const cache = new WeakMap<Grid, StoredGrid>();
  const on = () => live(get(client.status));
  const mine = (doc?: GraphDocument) => {
    if (!current && on()) adoptLive(client, doc, !!scores);
    return current !== null && on();
  };
  // The last checkpoint is read back from the GPU and the last score computed after the final iteration, so they may
  // arrive just after the session finished or stopped: they still belong to the run that just ended.
  const justEnded = () => current !== null && !on() && (current.status === 'finished' || current.status === 'stopped');
  let attaching = true;
  const unsubs = [
    client.started.subscribe((s) => {
      // The value at subscription is a start seen before (or none): only a start from now on is a new run.
      if (s && !attaching) setCurrent(newRun(s.doc, s.settings, s.backend, !!scores));
    }),
    client.history.subscribe((h) => {
      // Charts put back while no session trains, by someone other than reopenRun (the recovery bar restoring a
      // checkpoint): they are not the current run's, so it is let go; training on adopts or starts a run.
      if (!on() && !putting && current && h.length > 0 && !sameRun(current.history, h)) setCurrent(null);
      if (!mine()) return;
      current!.history = h.map((s) => ({ ...s }));
      current!.iteration = Math.max(current!.iteration, h.at(-1)?.iteration ?? 0);
      dirty(false);
    }),
    client.fine.subscribe((f) => {
      if (!mine()) return;
      current!.fine = thinEvenly(f, MAX_RUN_FINE).map((s) => ({ ...s }));
      current!.iteration = Math.max(current!.iteration, f.at(-1)?.iteration ?? 0);
      dirty(false);
    }),
    client.grids.subscribe((g) => {
      if (!mine() || g.length === 0) return;
      const own = g.map((x) => quantized(cache, x));
      const first = own[0].iteration;
      current!.grids = thinEvenly([...baseGrids.filter((x) => x.iteration < first), ...own], MAX_RUN_GRIDS);
      current!.lastGrid = own[own.length - 1];
      dirty(true);
    }),
    client.status.subscribe((st) => {
      if (!current || (!live(st) && st !== 'stopped' && st !== 'finished')) return;
      if (!mine() && live(st)) return;
      current.status = st;
      current.iteration = Math.max(current.iteration, get(client.iteration));
      if (live(st)) dirty(false);
      else {
        dirty(false);
        flush();
      }
    }),
    client.listen((msg) => {
      if (msg.type !== 'checkpointData') return;
      // Late, it must be the ended run's graph (not a run reopened in the meantime).
      const late = justEnded() && JSON.stringify(msg.doc) === JSON.stringify(current!.doc);
      if (!late && !mine(msg.doc)) return;
      current!.checkpoint = msg.bytes;
      current!.checkpointIteration = msg.iteration;
      // The graph the checkpoint was trained with: a paused run may have been edited (a learning rate) and resumed.
      current!.doc = cloneDocument(msg.doc);
      dirty(true);
      if (late) flush();
    }),
  ];
  attaching = false;
  if (scores) {
    unsubs.push(
      scores.subscribe((list) => {
        const late = justEnded() && list.length > (current!.scores?.length ?? 0);
        if (!late && !mine()) return;
        current!.scores = list.map((p) => ({ ...p }));
        dirty(false);
        if (late) flush();
      }),
    );
  }
  return () => {
    flush();
    for (const u of unsubs) u();
  };
}

/**
 * Starts recording the training panel's sessions (the app calls this once). `scores` is the quality meter's list of
 * score points for the live session, when the page has one.
 */
export function recordRuns(scores?: Writable<ScorePoint[]>): () => void {
  scoreStore = scores;
  let detach: (() => void) | undefined;
  const unsub = currentClient.subscribe((c) => {
    detach?.();
    detach = c ? attach(c, scores) : undefined;
  });
  const onHide = () => flush();
  window.addEventListener('pagehide', onHide);
  return () => {
    unsub();
    detach?.();
    window.removeEventListener('pagehide', onHide);
  };
}

/** Tests: a fresh page's recorder (no current run). */
export function resetRecorderForTests(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  current = null;
  baseGrids = [];
  needWhole = false;
  adopting = null;
  currentRunId.set(null);
}
