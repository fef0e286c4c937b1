// Records every training run into the library: a fresh start (TrainingClient.started) opens a new run; while the
// session trains, its history, fine series, grids, last checkpoint and scores are mirrored into that run and saved
// (at most every SAVE_DELAY_MS, and at once when the session pauses, stops or finishes). A reopened run becomes the
// current one, so Resume goes on recording into it. No training math: only what the client already reports.
import { get, writable, type Writable } from 'svelte/store';
import { cloneDocument } from '../../graph/document';
import { presetDocument } from '../state/persistence';
import { lang } from '../state/language';
import { t } from '../../i18n/ui';
import type { SessionStatus } from '../../worker/protocol';
import { currentClient, type Grid, type TrainingClient } from '../training/trainingClient';
import { runs, saveRun } from './runStore';
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
export function flushRuns(): Promise<void> {
  flush();
  return chain.then(() => undefined);
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

function quantized(cache: WeakMap<Grid, StoredGrid>, g: Grid): StoredGrid {
  let q = cache.get(g);
  if (!q) cache.set(g, (q = quantizeGrid(g)));
  return q;
}

/**
 * A session is training with no current run (the page was reloaded and the resume offer taken): continue the run it
 * came from when the library has it for this graph, else start a new one.
 */
function adoptLive(client: TrainingClient) {
  const doc = get(client.started)?.doc;
  let id: string | null = null;
  try {
    id = localStorage.getItem(CURRENT_RUN_KEY);
  } catch {
    id = null;
  }
  const known = get(runs).find((r) => r.id === id);
  if (known && (!doc || JSON.stringify(doc) === JSON.stringify(known.doc))) {
    setCurrent({ ...known, grids: [], checkpoint: null }, known.lastGrid ? [known.lastGrid] : []);
    needWhole = true;
  }
}

function attach(client: TrainingClient, scores?: Writable<ScorePoint[]>): () => void {
  const cache = new WeakMap<Grid, StoredGrid>();
  const on = () => live(get(client.status));
  const mine = () => {
    if (!current && on()) adoptLive(client);
    return current !== null && on();
  };
  const unsubs = [
    client.started.subscribe((s) => {
      if (!s) return;
      const now = new Date().toISOString();
      setCurrent({
        id: crypto.randomUUID(),
        name: defaultName(s.doc.name),
        createdAt: now,
        updatedAt: now,
        doc: cloneDocument(s.doc),
        settings: { ...s.settings },
        backend: s.backend,
        status: 'loading',
        iteration: 0,
        history: [],
        fine: [],
        ...(scores ? { scores: [] } : {}),
        lastGrid: null,
        checkpointIteration: null,
        grids: [],
        checkpoint: null,
      });
    }),
    client.history.subscribe((h) => {
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
      if (msg.type !== 'checkpointData' || !mine()) return;
      current!.checkpoint = msg.bytes;
      current!.checkpointIteration = msg.iteration;
      // The graph the checkpoint was trained with: a paused run may have been edited (a learning rate) and resumed.
      current!.doc = cloneDocument(msg.doc);
      dirty(true);
    }),
  ];
  if (scores) {
    unsubs.push(
      scores.subscribe((list) => {
        if (!mine()) return;
        current!.scores = list.map((p) => ({ ...p }));
        dirty(false);
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
