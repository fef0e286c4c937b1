// The runs library in IndexedDB (through idb-keyval, like the checkpoint slot in src/ui/state/checkpointStore.ts), in
// its own database so its store exists from the first open. Each run is three keys: `run:<id>` (the summary the list
// and comparison read), `grids:<id>` and `ckpt:<id>` (read only to reopen or export), written in one transaction so a
// run is never half stored. Nothing here throws: when a write fails (full quota, storage blocked) the run stays in
// memory, listed and exportable, marked unsaved, and `runsProblem` says why; nothing already stored is touched.
import { createStore, delMany, get, getMany, keys, setMany, type UseStore } from 'idb-keyval';
import { writable } from 'svelte/store';
import type { Msg } from '../../i18n/ui';
import { summaryOf, type RunRecord, type RunSummary } from './types';

export const RUNS_DB = 'ganvas-runs';
export const RUNS_STORE = 'runs';

/** Every run, newest first: stored ones and those only in memory (being recorded, or not saved). */
export const runs = writable<RunSummary[]>([]);
/** Ids of runs whose latest state is not in IndexedDB (the write failed). */
export const unsavedRuns = writable<ReadonlySet<string>>(new Set());
/** The last storage failure, for the library's alert line; cleared by the next successful write. */
export const runsProblem = writable<Msg | null>(null);

const message = (e: unknown) => (e instanceof Error ? e.message : String(e ?? 'unknown error'));

let db: UseStore | undefined;
function store(): UseStore {
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
  return (db ??= createStore(RUNS_DB, RUNS_STORE));
}

/** Full records of runs not (fully) written yet: what reopen and export read before IndexedDB. */
const memory = new Map<string, RunRecord>();

const isSummary = (v: unknown): v is RunSummary => {
  const r = v as Partial<RunSummary> | null;
  return !!r && typeof r.id === 'string' && typeof r.name === 'string' && typeof r.createdAt === 'string' && typeof r.doc === 'object' && Array.isArray(r.history);
};

const newestFirst = (a: RunSummary, b: RunSummary) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

function putInList(s: RunSummary) {
  runs.update((list) => [s, ...list.filter((x) => x.id !== s.id)].sort(newestFirst));
}
function markUnsaved(id: string, unsaved: boolean) {
  unsavedRuns.update((set) => {
    if (set.has(id) === unsaved) return set;
    const next = new Set(set);
    if (unsaved) next.add(id);
    else next.delete(id);
    return next;
  });
}

/** Reads the stored runs into `runs` (keeping the ones only in memory). */
export async function loadRuns(): Promise<void> {
  try {
    const ids = (await keys(store())).filter((k): k is string => typeof k === 'string' && k.startsWith('run:'));
    const stored = (await getMany(ids, store())).filter(isSummary);
    const inMemory = [...memory.values()].map(summaryOf);
    const byId = new Map<string, RunSummary>([...stored, ...inMemory].map((s) => [s.id, s]));
    runs.set([...byId.values()].sort(newestFirst));
  } catch (e) {
    runsProblem.set({ scope: 'ui', key: 'runs.storageFailed', args: { detail: message(e) } });
    runs.set([...memory.values()].map(summaryOf).sort(newestFirst));
  }
}

/**
 * Stores a run (its summary always; grids and checkpoint too unless `summaryOnly`). Resolves true when written. On
 * failure the record is kept in memory, listed and marked unsaved.
 */
export async function saveRun(rec: RunRecord, summaryOnly = false): Promise<boolean> {
  putInList(summaryOf(rec));
  // A run that failed before must write everything once it can.
  const whole = !summaryOnly || memory.has(rec.id);
  const entries: [string, unknown][] = [[`run:${rec.id}`, summaryOf(rec)]];
  if (whole) entries.push([`grids:${rec.id}`, rec.grids], [`ckpt:${rec.id}`, rec.checkpoint]);
  try {
    await setMany(entries, store());
    memory.delete(rec.id);
    markUnsaved(rec.id, false);
    runsProblem.set(null);
    return true;
  } catch (e) {
    memory.set(rec.id, rec);
    markUnsaved(rec.id, true);
    runsProblem.set({ scope: 'ui', key: 'runs.storageFull', args: { name: rec.name, detail: message(e) } });
    return false;
  }
}

/** The whole run (grids and checkpoint included), from memory or IndexedDB; null when there is none. */
export async function readRun(id: string): Promise<RunRecord | null> {
  const m = memory.get(id);
  if (m) return m;
  try {
    const [summary, grids, checkpoint] = await getMany([`run:${id}`, `grids:${id}`, `ckpt:${id}`], store());
    if (!isSummary(summary)) return null;
    return { ...summary, grids: Array.isArray(grids) ? (grids as RunRecord['grids']) : [], checkpoint: checkpoint instanceof Uint8Array ? checkpoint : null };
  } catch (e) {
    runsProblem.set({ scope: 'ui', key: 'runs.storageFailed', args: { detail: message(e) } });
    return null;
  }
}

export async function renameRun(id: string, name: string): Promise<boolean> {
  const m = memory.get(id);
  if (m) {
    m.name = name;
    return saveRun(m);
  }
  try {
    const s = await get(`run:${id}`, store());
    if (!isSummary(s)) return false;
    const next = { ...s, name, updatedAt: new Date().toISOString() };
    await setMany([[`run:${id}`, next]], store());
    putInList(next);
    return true;
  } catch (e) {
    runsProblem.set({ scope: 'ui', key: 'runs.storageFull', args: { name, detail: message(e) } });
    return false;
  }
}

export async function deleteRun(id: string): Promise<boolean> {
  try {
    await delMany([`run:${id}`, `grids:${id}`, `ckpt:${id}`], store());
  } catch (e) {
    // Only an unsaved run can go without IndexedDB; a stored one stays listed, as it is still stored.
    if (!memory.has(id)) {
      runsProblem.set({ scope: 'ui', key: 'runs.storageFailed', args: { detail: message(e) } });
      return false;
    }
  }
  memory.delete(id);
  markUnsaved(id, false);
  runs.update((list) => list.filter((r) => r.id !== id));
  return true;
}

/** Tests: forget the connection and the in-memory copies (a fresh page). */
export function resetRunStoreForTests(): void {
  db = undefined;
  memory.clear();
  runs.set([]);
  unsavedRuns.set(new Set());
  runsProblem.set(null);
}
