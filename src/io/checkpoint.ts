// Checkpoint files: a trainer state (src/train/state.ts) with the document, training settings and history around it,
// as one binary file for download, upload and IndexedDB. No tfjs, so the page can read a file without loading it;
// capturing and restoring live models is src/train/checkpoint.ts.
//
// File layout (all integers little-endian):
//   0  "GANVASCK"            8 bytes of magic
//   8  u32 format version    (CHECKPOINT_VERSION; version 1 files are migrated on reading)
//  12  u32 JSON byte length
//  16  u32 CRC-32 of every byte from offset 20 to the end of the file
//  20  UTF-8 JSON: document, tensor names and shapes, history, random state, iterations, phase, optimizer scalars, settings
//  ..  zero padding up to a multiple of 8, so the float data can be viewed in place when the buffer is aligned
//  ..  float32 little-endian data of every tensor the JSON lists, in tensorsOf order
//
// Version 2 added `phase` (a checkpoint may be taken after Step D, before Step G) and the untrained variables of
// each network (batch-norm moving statistics). A version 1 file is a version 2 file at an iteration's start with no
// untrained variables, which is exactly what every version 1 writer produced, so it is read as one.
import * as v from 'valibot';
import { analyzeGraph } from '../graph/analyze';
import { decodeDocument, type GraphDocument, type TrainingSettings } from '../graph/document';
import type { RunSettings } from '../train/run';
import type { NamedTensor, OptimizerState, TrainerState } from '../train/state';
import type { IterationStats } from './logLine';

export const CHECKPOINT_FORMAT = 'ganvas-checkpoint';
export const CHECKPOINT_VERSION = 2;
export const CHECKPOINT_MAGIC = 'GANVASCK';
/** Versions this build reads: older ones are migrated. */
const READABLE_VERSIONS = [1, 2];
const HEADER_BYTES = 20;
const DATA_ALIGN = 8;
/** Far above any graph the editor allows; it keeps a hostile length field from allocating gigabytes. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const MAX_TENSOR_ELEMENTS = 2 ** 28;

/** A tensor as plain data. `name` is the variable name without the per-compile model prefix: `g_dense1/kernel`. */
export type StoredTensor = NamedTensor<Float32Array>;
/** One Adam optimizer. The moments exist only after its first step, so both lists are empty at iteration 0. */
export type StoredAdam = OptimizerState<Float32Array, number>;

/** The trainer's state (iteration, phase, random state, every variable, both optimizers) and what it was trained from. */
export interface Checkpoint extends TrainerState {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** ISO time of capture, for listing stored checkpoints. */
  createdAt: string;
  doc: GraphDocument;
  /** The document's training block with the batch size the trainer actually used (tests train smaller batches). */
  training: TrainingSettings;
  /** The TrainingRun's settings, when one was given to captureCheckpoint. */
  run?: RunSettings;
  /** TrainingRun.history and TrainingRun.fine. */
  history: IterationStats[];
  fine: IterationStats[];
}

export type CheckpointDecodeResult =
  | { ok: true; checkpoint: Checkpoint }
  | { ok: false; code: string; args?: Record<string, string | number>; error: string };

/** Thrown when the objects handed in do not belong together (a programming error, not bad input). */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** Every tensor of a trainer state, in one fixed order: the order of a checkpoint file's float data. */
export const tensorsOf = <T>(c: TrainerState<T, unknown>): NamedTensor<T>[] => [
  ...c.generator,
  ...c.discriminator,
  ...c.dOptimizer.first,
  ...c.dOptimizer.second,
  ...c.gOptimizer.first,
  ...c.gOptimizer.second,
  ...c.generatorUntrained,
  ...c.discriminatorUntrained,
];

// ---------------------------------------------------------------------------------------------------------------------
// What the document implies about the variables (no tfjs needed, so decoding stays cheap)

export interface VariableExpectation {
  /** The node that owns the variables. */
  node: string;
  /** Total element count of the node's variables, trained and not (from the node type's own paramCount). */
  count: number;
}
export type Expectations = { ok: true; generator: VariableExpectation[]; discriminator: VariableExpectation[] } | { ok: false; error: string };

export function expectedVariables(doc: GraphDocument): Expectations {
  const analysis = analyzeGraph(doc);
  if (!analysis.ok || !analysis.gan) {
    const codes = analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => (d.node ? `${d.node}: ${d.code}` : d.code));
    return { ok: false, error: `the graph is not a complete GAN (${codes.join('; ') || 'no GAN structure'})` };
  }
  // Batch norm's moving statistics are variables of the layer too: the state carries them beside the trained ones.
  const total = (id: string) => (analysis.nodeParams[id] ?? 0) + (analysis.nodeNonTrainable[id] ?? 0);
  const owners = (ids: string[]) => ids.filter((id) => total(id) > 0).map((id) => ({ node: id, count: total(id) }));
  return { ok: true, generator: owners(analysis.gan.generator), discriminator: owners(analysis.gan.discriminator) };
}

const elements = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
type Shaped = { shape: readonly number[] };
const nodeOf = (name: string) => name.split('/')[0];

/**
 * Checks a network's named tensors (`<node id>/<weight>`, trained and untrained together) against the layers the
 * document implies: every owning node has tensors adding up to exactly its parameter count, and no tensor belongs
 * to another node. Returns a message, or null.
 */
export function compareToDocument(which: string, tensors: (Shaped & { name: string })[], owners: VariableExpectation[]): string | null {
  const sums = new Map<string, number>();
  for (const t of tensors) sums.set(nodeOf(t.name), (sums.get(nodeOf(t.name)) ?? 0) + elements(t.shape));
  const owned = new Set(owners.map((o) => o.node));
  const strays = tensors.filter((t) => !owned.has(nodeOf(t.name)));
  for (const owner of owners) {
    const sum = sums.get(owner.node);
    if (sum === undefined) return `${which} has no weights for layer "${owner.node}"${strays[0] ? ` (found "${strays[0].name}")` : ''}`;
    if (sum !== owner.count) return `${which} layer "${owner.node}" has ${sum} weights; the document's layer has ${owner.count}`;
  }
  if (strays.length > 0) return `${which} has ${strays.length} weight tensors more than the document's ${which}`;
  return null;
}

/** Moments are absent (before the first step) or one per trained variable with the variable's shape, in order. */
export function checkMoments(which: string, opt: { first: Shaped[]; second: Shaped[] }, trained: Shaped[]): string | null {
  if (opt.first.length !== opt.second.length) return `${which} has ${opt.first.length} first and ${opt.second.length} second moments`;
  for (const [kind, list] of [
    ['first moments', opt.first],
    ['second moments', opt.second],
  ] as const) {
    if (list.length === 0) continue;
    if (list.length !== trained.length) return `${which} has ${list.length} ${kind}; its network has ${trained.length} weight tensors`;
    for (let i = 0; i < list.length; i++) {
      if (list[i].shape.join('x') !== trained[i].shape.join('x')) return `${which} ${kind} ${i} has shape [${list[i].shape.join(', ')}]; the weight has [${trained[i].shape.join(', ')}]`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------------
// The JSON part of the file: the checkpoint without its float data, validated with valibot.
//
// Every message is the `what` of a 'checkpoint.invalid' error. Placeholders are filled from the first issue's path:
// {path} is the whole path (`dOptimizer.iterations`), {parent} the path without its last step (`dOptimizer`), and
// {item} the path up to its first list index (`generator[3]`, for any problem inside that tensor's entry).

const count = (message: string, max = Number.MAX_SAFE_INTEGER, min = 0) =>
  v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
const finite = (message: string) => v.pipe(v.number(message), v.finite(message));
const unit = (message: string) => v.pipe(v.number(message), v.finite(message), v.minValue(0, message), v.maxValue(1, message));

/**
 * A JSON object (not a list) with these entries. Unlike plain v.object, a missing key reports its entry's own
 * message rather than the object's: "iteration" for a missing iteration, as for a wrong one.
 */
function record<E extends v.ObjectEntries>(entries: E, message: string) {
  const entryMessage = (issue: v.BaseIssue<unknown>) => {
    const step = issue.path?.length === 1 ? issue.path[0] : undefined;
    const entry = step?.origin === 'key' ? (entries[String(step.key)] as { message?: unknown } | undefined) : undefined;
    return typeof entry?.message === 'string' ? entry.message : message;
  };
  return v.pipe(
    v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), message),
    v.object(entries, entryMessage),
  );
}

const tensorMeta = v.pipe(
  record(
    {
      name: v.pipe(v.string('{item} has no name'), v.maxLength(300, '{item} has no name')),
      shape: v.pipe(v.array(count('{item} has a bad shape', MAX_TENSOR_ELEMENTS), '{item} has a bad shape'), v.maxLength(8, '{item} has a bad shape')),
    },
    '{item} has no name',
  ),
  v.check((t) => elements(t.shape) <= MAX_TENSOR_ELEMENTS, '{item} is too large'),
);
const tensorMetas = v.array(tensorMeta, '{path} is not a list');

const adamMeta = record(
  {
    iterations: count('{path} is not a count'),
    accBeta1: unit('{parent} has bad β accumulators'),
    accBeta2: unit('{parent} has bad β accumulators'),
    first: tensorMetas,
    second: tensorMetas,
  },
  '{path} is missing',
);

const stats = record(
  {
    iteration: count("{item} is not an iteration's stats"),
    dLoss: finite("{item} is not an iteration's stats"),
    acc: finite("{item} is not an iteration's stats"),
    gLoss: finite("{item} is not an iteration's stats"),
  },
  "{item} is not an iteration's stats",
);
const statsList = v.array(stats, '{path} is not a list');

const runSettings = v.optional(
  record(
    {
      iterations: count('run settings'),
      sampleInterval: count('run settings', Number.MAX_SAFE_INTEGER, 1),
      checkEvery: count('run settings', Number.MAX_SAFE_INTEGER, 1),
      fixedNoise: v.optional(v.boolean('run.fixedNoise')),
      gridSize: v.optional(count('run.gridSize', 4096)),
      gridSeed: v.optional(count('run.gridSeed', 2 ** 32 - 1)),
    },
    'run settings',
  ),
);

/** Everything after the document, in the order the checks run (the first problem is the one reported). */
const body = record(
  {
    training: record(
      {
        iterations: count('training settings'),
        batchSize: count('training settings', 4096, 1),
        sampleInterval: count('training settings', Number.MAX_SAFE_INTEGER, 1),
        seed: count('training settings', 2 ** 32 - 1),
      },
      'training settings',
    ),
    run: runSettings,
    iteration: count('iteration'),
    phase: v.picklist(['start', 'afterD'], 'phase'),
    rngState: count('random state', 2 ** 32 - 1),
    generator: tensorMetas,
    discriminator: tensorMetas,
    generatorUntrained: tensorMetas,
    discriminatorUntrained: tensorMetas,
    dOptimizer: adamMeta,
    gOptimizer: adamMeta,
    history: statsList,
    fine: statsList,
    createdAt: v.pipe(v.string('createdAt'), v.maxLength(64, 'createdAt')),
    /** Float32 elements after the JSON, for an early length check (checked against the tensors below). */
    elements: v.optional(v.unknown()),
  },
  'JSON is not an object',
);
type Body = v.InferOutput<typeof body>;

/** The envelope: checked before the document, which is checked before the body. */
const envelope = record({ format: v.optional(v.unknown()), version: v.optional(v.unknown()), doc: v.optional(v.unknown()) }, 'JSON is not an object');

function pathOf(issue: v.BaseIssue<unknown>, part: 'path' | 'parent' | 'item'): string {
  let steps = (issue.path ?? []).map((p) => p.key as string | number);
  if (part === 'parent') steps = steps.slice(0, -1);
  if (part === 'item') {
    const index = steps.findIndex((k) => typeof k === 'number');
    if (index >= 0) steps = steps.slice(0, index + 1);
  }
  return steps.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** The first problem valibot found, as today's message. */
const describe = (issue: v.BaseIssue<unknown>): string =>
  issue.message.replace('{path}', pathOf(issue, 'path')).replace('{parent}', pathOf(issue, 'parent')).replace('{item}', pathOf(issue, 'item'));

/** Version 1 → 2: a v1 checkpoint is always at an iteration's start and lists trained variables only. */
function migrate(raw: Record<string, unknown>, version: number): Record<string, unknown> {
  if (version >= 2) return raw;
  return { ...raw, phase: 'start', generatorUntrained: [], discriminatorUntrained: [] };
}

// ---------------------------------------------------------------------------------------------------------------------
// Binary encoding

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function encodeCheckpoint(ckpt: Checkpoint): Uint8Array {
  const meta = (ts: StoredTensor[]) => ts.map((t) => ({ name: t.name, shape: [...t.shape] }));
  const adamMeta = (a: StoredAdam) => ({ iterations: a.iterations, accBeta1: a.accBeta1, accBeta2: a.accBeta2, first: meta(a.first), second: meta(a.second) });
  const tensors = tensorsOf(ckpt);
  for (const t of tensors) {
    if (t.data.length !== elements(t.shape)) throw new CheckpointError(`encodeCheckpoint: tensor "${t.name}" has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
  }
  const total = tensors.reduce((n, t) => n + t.data.length, 0);
  const json = {
    format: ckpt.format,
    version: CHECKPOINT_VERSION,
    createdAt: ckpt.createdAt,
    doc: ckpt.doc,
    training: ckpt.training,
    ...(ckpt.run ? { run: ckpt.run } : {}),
    iteration: ckpt.iteration,
    phase: ckpt.phase,
    rngState: ckpt.rngState,
    generator: meta(ckpt.generator),
    discriminator: meta(ckpt.discriminator),
    generatorUntrained: meta(ckpt.generatorUntrained),
    discriminatorUntrained: meta(ckpt.discriminatorUntrained),
    dOptimizer: adamMeta(ckpt.dOptimizer),
    gOptimizer: adamMeta(ckpt.gOptimizer),
    history: ckpt.history,
    fine: ckpt.fine,
    elements: total,
  };
  const text = new TextEncoder().encode(JSON.stringify(json));
  const dataOffset = Math.ceil((HEADER_BYTES + text.length) / DATA_ALIGN) * DATA_ALIGN;
  const out = new Uint8Array(dataOffset + total * 4);
  out.set(new TextEncoder().encode(CHECKPOINT_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, CHECKPOINT_VERSION, true);
  view.setUint32(12, text.length, true);
  out.set(text, HEADER_BYTES);
  let at = dataOffset;
  for (const t of tensors) {
    if (LITTLE_ENDIAN_HOST) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    else for (let i = 0; i < t.data.length; i++) view.setFloat32(at + i * 4, t.data[i], true);
    at += t.data.byteLength;
  }
  view.setUint32(16, crc32(out.subarray(HEADER_BYTES)), true);
  return out;
}

class Invalid extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly args?: Record<string, string | number>,
  ) {
    super(message);
  }
}
const invalid = (what: string): never => {
  throw new Invalid('checkpoint.invalid', `the checkpoint's data is invalid: ${what}`, { what });
};
const parsed = <S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> => {
  const r = v.safeParse(schema, input, { abortEarly: true });
  return r.success ? r.output : invalid(describe(r.issues[0]));
};

/**
 * Reads and validates a checkpoint file. Never throws: bad magic, an unknown version, truncation, a checksum
 * mismatch, malformed JSON, an invalid document, or weights and moments that do not fit the document's variables all
 * come back as `{ ok: false, code, error }`.
 */
export function decodeCheckpoint(input: Uint8Array | ArrayBuffer): CheckpointDecodeResult {
  try {
    return { ok: true, checkpoint: decodeOrThrow(input instanceof Uint8Array ? input : new Uint8Array(input)) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, code: e.code, ...(e.args ? { args: e.args } : {}), error: e.message };
    return { ok: false, code: 'checkpoint.invalid', error: `the checkpoint could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function decodeOrThrow(bytes: Uint8Array): Checkpoint {
  const magic = new TextEncoder().encode(CHECKPOINT_MAGIC);
  if (bytes.length < magic.length || magic.some((b, i) => bytes[i] !== b)) throw new Invalid('checkpoint.notCheckpoint', 'not a Ganvas checkpoint (the file does not start with "GANVASCK")');
  if (bytes.length < HEADER_BYTES) throw new Invalid('checkpoint.truncated', `the checkpoint is truncated (${bytes.length} bytes; the header alone needs ${HEADER_BYTES})`, { bytes: bytes.length });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (!READABLE_VERSIONS.includes(version)) throw new Invalid('checkpoint.version', `checkpoint format version ${version} is not supported (this Ganvas reads version ${CHECKPOINT_VERSION})`, { version, supported: CHECKPOINT_VERSION });
  const jsonBytes = view.getUint32(12, true);
  if (jsonBytes > MAX_JSON_BYTES) throw new Invalid('checkpoint.invalid', `the checkpoint's header is corrupt (JSON length ${jsonBytes})`, { what: 'header' });
  if (HEADER_BYTES + jsonBytes > bytes.length) throw new Invalid('checkpoint.truncated', `the checkpoint is truncated (${bytes.length} bytes; its header announces at least ${HEADER_BYTES + jsonBytes})`, { bytes: bytes.length });
  if (crc32(bytes.subarray(HEADER_BYTES)) !== view.getUint32(16, true)) {
    // Truncation also breaks the checksum; say which when the JSON still tells the expected size.
    const announced = announcedLength(bytes, jsonBytes);
    if (announced !== undefined && announced > bytes.length) {
      throw new Invalid('checkpoint.truncated', `the checkpoint is truncated (${bytes.length} of ${announced} bytes)`, { bytes: bytes.length, expected: announced });
    }
    throw new Invalid('checkpoint.checksum', 'the checkpoint is corrupted (checksum mismatch): the file was changed or damaged after it was saved');
  }

  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonBytes)));
  } catch (e) {
    throw new Invalid('checkpoint.invalid', `the checkpoint's JSON is malformed: ${e instanceof Error ? e.message : String(e)}`, { what: 'JSON' });
  }
  const head = parsed(envelope, raw);
  if (head.format !== CHECKPOINT_FORMAT) return invalid(`format is ${JSON.stringify(head.format)}, not "${CHECKPOINT_FORMAT}"`);
  if (head.version !== version) return invalid('JSON version differs from the header');
  const docResult = decodeDocument(head.doc);
  if (!docResult.ok) {
    const first = docResult.errors.slice(0, 3).map((e) => `${e.path}: ${e.code}`).join('; ');
    throw new Invalid('checkpoint.badDocument', `the checkpoint's graph document is invalid (${first})`, { detail: first });
  }
  const doc = docResult.doc;
  const c: Body = parsed(body, migrate(raw as Record<string, unknown>, version));
  // Stats may not lie in the future of the checkpoint.
  for (const [name, list] of [
    ['history', c.history],
    ['fine', c.fine],
  ] as const) {
    const late = list.findIndex((s) => s.iteration > c.iteration);
    if (late >= 0) return invalid(`${name}[${late}] is not an iteration's stats`);
  }

  // The weights must fit the document: the same layers, each with its own parameter count.
  const expected = expectedVariables(doc);
  if (!expected.ok) throw new Invalid('checkpoint.badDocument', `the checkpoint's graph cannot be trained: ${expected.error}`, { detail: expected.error });
  const mismatch = (problem: string | null) => {
    if (problem) throw new Invalid('checkpoint.mismatch', `the checkpoint's weights do not fit its graph: ${problem}`, { detail: problem });
  };
  mismatch(compareToDocument('generator', [...c.generator, ...c.generatorUntrained], expected.generator));
  mismatch(compareToDocument('discriminator', [...c.discriminator, ...c.discriminatorUntrained], expected.discriminator));
  mismatch(checkMoments('D optimizer', c.dOptimizer, c.discriminator));
  mismatch(checkMoments('G optimizer', c.gOptimizer, c.generator));

  const metas = tensorsOf(c as unknown as TrainerState<{ name: string; shape: number[] }, number>);
  const total = metas.reduce((n, t) => n + elements(t.shape), 0);
  if (c.elements !== total) return invalid(`it announces ${String(c.elements)} weights but lists tensors with ${total}`);
  const dataOffset = Math.ceil((HEADER_BYTES + jsonBytes) / DATA_ALIGN) * DATA_ALIGN;
  const expectedLength = dataOffset + total * 4;
  if (bytes.length < expectedLength) throw new Invalid('checkpoint.truncated', `the checkpoint is truncated (${bytes.length} of ${expectedLength} bytes)`, { bytes: bytes.length, expected: expectedLength });
  if (bytes.length > expectedLength) return invalid(`${bytes.length - expectedLength} unexpected bytes after the weights`);

  // The float data in file order; each meta gets its own copy, so the checkpoint does not pin the (possibly large,
  // possibly shared) file buffer.
  let at = dataOffset;
  const data = new Map<object, Float32Array>();
  for (const m of metas) {
    const n = elements(m.shape);
    const out = new Float32Array(n);
    if (LITTLE_ENDIAN_HOST) new Uint8Array(out.buffer).set(bytes.subarray(at, at + n * 4));
    else for (let i = 0; i < n; i++) out[i] = view.getFloat32(at + i * 4, true);
    at += n * 4;
    data.set(m, out);
  }
  const read = (ms: { name: string; shape: number[] }[]): StoredTensor[] => ms.map((m) => ({ name: m.name, shape: [...m.shape], data: data.get(m)! }));
  const adam = (a: Body['dOptimizer']): StoredAdam => ({ iterations: a.iterations, accBeta1: a.accBeta1, accBeta2: a.accBeta2, first: read(a.first), second: read(a.second) });
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    createdAt: c.createdAt,
    doc,
    training: c.training,
    ...(c.run ? { run: c.run } : {}),
    iteration: c.iteration,
    phase: c.phase,
    rngState: c.rngState,
    generator: read(c.generator),
    discriminator: read(c.discriminator),
    generatorUntrained: read(c.generatorUntrained),
    discriminatorUntrained: read(c.discriminatorUntrained),
    dOptimizer: adam(c.dOptimizer),
    gOptimizer: adam(c.gOptimizer),
    history: c.history,
    fine: c.fine,
  };
}

/** The file length the JSON announces, if the JSON part is intact enough to say; used only to word errors. */
function announcedLength(bytes: Uint8Array, jsonBytes: number): number | undefined {
  try {
    const raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonBytes))) as unknown;
    const r = v.safeParse(v.object({ elements: count('elements') }), raw);
    if (!r.success) return undefined;
    return Math.ceil((HEADER_BYTES + jsonBytes) / DATA_ALIGN) * DATA_ALIGN + r.output.elements * 4;
  } catch {
    return undefined;
  }
}
