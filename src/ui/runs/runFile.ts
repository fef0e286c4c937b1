// One run as one file (`.ganvas-run.json`): everything the library keeps — graph, settings, history, scores, grids and
// the last checkpoint — with the binary parts in base64. Reading validates every field (valibot), the graph
// (decodeDocument) and the checkpoint (decodeCheckpoint) before anything is added, so a malformed file is refused
// with a message naming what is wrong and changes nothing. No Svelte, no IndexedDB: runs in Node for its tests.
import * as v from 'valibot';
import { decodeDocument } from '../../graph/document';
import { decodeCheckpoint } from '../../io/checkpoint';
import type { Msg } from '../../i18n/ui';
import { MAX_RUN_FINE, MAX_RUN_GRIDS, type RunRecord } from './types';

export const RUN_FILE_FORMAT = 'ganvas-run';
export const RUN_FILE_VERSION = 1;
export const RUN_FILE_SUFFIX = '.ganvas-run.json';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}
function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const positive = v.pipe(v.number(), v.integer(), v.minValue(1));
const finiteOrNull = v.nullable(v.pipe(v.number(), v.finite()));
// JSON has no NaN: a lost value is written as null and read back as NaN (the chart leaves a gap there).
const StatsIn = v.object({ iteration: count, dLoss: finiteOrNull, acc: finiteOrNull, gLoss: finiteOrNull });
const base64 = v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'));
const Grid = v.object({
  iteration: count,
  width: v.pipe(positive, v.maxValue(1024)),
  height: v.pipe(positive, v.maxValue(1024)),
  count: v.pipe(positive, v.maxValue(400)),
  channels: v.picklist([1, 3]),
  labels: v.optional(v.array(count)),
  cols: v.optional(positive),
  pixels: base64,
});
const Scores = v.object({
  samples: count,
  frechetDistance: v.number(),
  inceptionScore: v.number(),
  digitShares: v.array(v.number()),
  digitsCovered: count,
  meanConfidence: v.number(),
});
const RunFile = v.object({
  format: v.literal(RUN_FILE_FORMAT),
  version: v.number(),
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  updatedAt: v.pipe(v.string(), v.isoTimestamp()),
  status: v.picklist(['idle', 'loading', 'running', 'paused', 'stopped', 'finished']),
  iteration: count,
  backend: v.nullable(v.picklist(['webgl', 'wasm', 'cpu'])),
  doc: v.unknown(),
  settings: v.object({ iterations: positive, batchSize: positive, sampleInterval: positive, checkEvery: positive, fixedNoise: v.boolean(), gridSize: positive }),
  history: v.array(StatsIn),
  fine: v.pipe(v.array(StatsIn), v.maxLength(10 * MAX_RUN_FINE)),
  scores: v.optional(v.array(v.object({ iteration: count, scores: Scores, perLabelAccuracy: v.optional(v.array(v.number())) }))),
  grids: v.pipe(v.array(Grid), v.maxLength(10 * MAX_RUN_GRIDS)),
  checkpoint: v.nullable(v.object({ iteration: count, bytes: base64 })),
});
type RunFileJson = v.InferInput<typeof RunFile>;

const orNull = (x: number) => (Number.isFinite(x) ? x : null);
const orNaN = (x: number | null) => (x === null ? Number.NaN : x);

/** The run as the file's text. */
export function encodeRunFile(r: RunRecord): string {
  const file: RunFileJson = {
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    name: r.name,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    status: r.status,
    iteration: r.iteration,
    backend: r.backend,
    doc: r.doc,
    settings: r.settings,
    history: r.history.map((s) => ({ iteration: s.iteration, dLoss: orNull(s.dLoss), acc: orNull(s.acc), gLoss: orNull(s.gLoss) })),
    fine: r.fine.map((s) => ({ iteration: s.iteration, dLoss: orNull(s.dLoss), acc: orNull(s.acc), gLoss: orNull(s.gLoss) })),
    ...(r.scores ? { scores: r.scores } : {}),
    grids: r.grids.map((g) => ({ ...g, pixels: toBase64(g.pixels) })),
    checkpoint: r.checkpoint && r.checkpointIteration !== null ? { iteration: r.checkpointIteration, bytes: toBase64(r.checkpoint) } : null,
  };
  return JSON.stringify(file);
}

export type RunFileResult = { ok: true; run: Omit<RunRecord, 'id'> } | { ok: false; error: Msg };

const fail = (key: string, args?: Record<string, string | number>): RunFileResult => ({ ok: false, error: { scope: 'ui', key, args } });

/** Reads a run file; on success the run without an id (the library gives it one). */
export function decodeRunFile(text: string): RunFileResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail('runs.file.notJson', { detail: e instanceof Error ? e.message : String(e) });
  }
  const head = json as { format?: unknown; version?: unknown } | null;
  if (!head || typeof head !== 'object' || head.format !== RUN_FILE_FORMAT) return fail('runs.file.notRun');
  if (typeof head.version === 'number' && head.version > RUN_FILE_VERSION) return fail('runs.file.version', { version: head.version });
  const parsed = v.safeParse(RunFile, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    return fail('runs.file.field', { path: v.getDotPath(issue) ?? '(file)', detail: issue.message });
  }
  const f = parsed.output;
  const doc = decodeDocument(f.doc);
  if (!doc.ok) return fail('runs.file.graph', { detail: doc.errors.map((e) => `${e.path} ${e.code}`).join('; ') });
  const grids: RunRecord['grids'] = [];
  for (const [index, g] of f.grids.entries()) {
    const pixels = fromBase64(g.pixels);
    if (pixels.length !== g.count * g.width * g.height * g.channels || (g.labels && g.labels.length !== g.count)) return fail('runs.file.grid', { index });
    grids.push({ ...g, pixels });
  }
  let checkpoint: Uint8Array | null = null;
  if (f.checkpoint) {
    checkpoint = fromBase64(f.checkpoint.bytes);
    const c = decodeCheckpoint(checkpoint);
    if (!c.ok) return fail('runs.file.checkpoint', { detail: c.error });
  }
  const stats = (s: { iteration: number; dLoss: number | null; acc: number | null; gLoss: number | null }) => ({ iteration: s.iteration, dLoss: orNaN(s.dLoss), acc: orNaN(s.acc), gLoss: orNaN(s.gLoss) });
  return {
    ok: true,
    run: {
      name: f.name,
      createdAt: f.createdAt,
      updatedAt: f.updatedAt,
      // A run that was training when exported is not training now.
      status: f.status === 'running' || f.status === 'loading' ? 'paused' : f.status,
      iteration: f.iteration,
      backend: f.backend,
      doc: doc.doc,
      settings: f.settings,
      history: f.history.map(stats),
      fine: f.fine.map(stats),
      ...(f.scores ? { scores: f.scores } : {}),
      grids,
      lastGrid: grids.at(-1) ?? null,
      checkpoint,
      checkpointIteration: f.checkpoint ? f.checkpoint.iteration : null,
    },
  };
}

/** A file name for the run: its name made safe, plus the suffix. */
export function runFileName(name: string): string {
  const base = name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'ganvas-run';
  return `${base}${RUN_FILE_SUFFIX}`;
}
