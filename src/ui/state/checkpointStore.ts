// The last training checkpoint, kept in IndexedDB so a reload or a crashed tab can resume training. One slot per app
// ('latest'): the encodeCheckpoint bytes (src/io/checkpoint.ts) plus the document they belong to, for the offer's
// text without decoding (decoding needs tfjs, which the page only loads on demand). Never throws: where IndexedDB is
// blocked (private mode, storage settings) checkpoints simply are not kept, and `storageProblem` says why.
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import { writable } from 'svelte/store';
import type { GraphDocument } from '../../graph/document';

export const CHECKPOINT_DB = 'ganvas';
export const CHECKPOINT_STORE = 'checkpoints';
export const CHECKPOINT_SLOT = 'latest';

export interface CheckpointRecord {
  bytes: Uint8Array;
  iteration: number;
  doc: GraphDocument;
  /** ISO time the page received it. */
  savedAt: string;
}

export type CheckpointInfo = Omit<CheckpointRecord, 'bytes'>;

/** The checkpoint Download offers: the newest one stored (this session or a previous one). */
export const latestCheckpoint = writable<CheckpointInfo | null>(null);
/** Why checkpoints cannot be kept in this browser, if they cannot. */
export const storageProblem = writable<string | null>(null);

const info = (r: CheckpointRecord): CheckpointInfo => ({ iteration: r.iteration, doc: r.doc, savedAt: r.savedAt });
const message = (e: unknown) => (e instanceof Error ? e.message : String(e ?? 'unknown error'));

// idb-keyval opens the database lazily on first use, creates the store on first open, resolves writes only once their
// transaction commits (so a put is durable), and retries a failed open on the next call.
let slots: UseStore | undefined;
function store(): UseStore {
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
  return (slots ??= createStore(CHECKPOINT_DB, CHECKPOINT_STORE));
}

const isRecord = (v: unknown): v is CheckpointRecord => {
  const r = v as Partial<CheckpointRecord> | null;
  return !!r && r.bytes instanceof Uint8Array && typeof r.iteration === 'number' && typeof r.savedAt === 'string' && typeof r.doc === 'object' && r.doc !== null;
};

/** The stored checkpoint, or null (none, unreadable, or no IndexedDB). Also updates `latestCheckpoint`. */
export async function readLatest(): Promise<CheckpointRecord | null> {
  if (memory) return memory;
  try {
    const v: unknown = await get(CHECKPOINT_SLOT, store());
    if (!isRecord(v)) return null;
    memory = v;
    latestCheckpoint.set(info(v));
    return v;
  } catch (e) {
    storageProblem.set(message(e));
    return null;
  }
}

/** Forgets the stored checkpoint (the person discarded it). */
export async function discardLatest(): Promise<void> {
  pending = null;
  memory = null;
  latestCheckpoint.set(null);
  try {
    await del(CHECKPOINT_SLOT, store());
  } catch (e) {
    storageProblem.set(message(e));
  }
}

// Writes are coalesced: while one is in flight only the newest waiting checkpoint is kept, so a short sample interval
// never queues up megabytes of stale checkpoints.
let memory: CheckpointRecord | null = null;
let pending: CheckpointRecord | null = null;
let writing: Promise<void> | null = null;

/** Keeps a checkpoint the worker produced (called at every sample interval while training runs). */
export function persistCheckpoint(rec: CheckpointRecord): Promise<void> {
  pending = rec;
  writing ??= (async () => {
    while (pending) {
      const next = pending;
      pending = null;
      memory = next;
      try {
        await set(CHECKPOINT_SLOT, next, store());
        storageProblem.set(null);
      } catch (e) {
        // Quota exceeded or storage blocked: the in-memory copy still serves Download for this session.
        storageProblem.set(message(e));
      }
      latestCheckpoint.set(info(next));
    }
    writing = null;
  })();
  return writing;
}

/** Resolves once every checkpoint handed to persistCheckpoint so far is written (or failed). */
export function flushCheckpoints(): Promise<void> {
  return writing ?? Promise.resolve();
}
