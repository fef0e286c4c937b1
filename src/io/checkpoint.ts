// Training checkpoints: everything needed to resume a run exactly (bitwise on the cpu backend), as a plain object and
// as one binary file for download, upload and IndexedDB. DOM-free, so it runs in a Web Worker as well as in Node.
//
// File layout (all integers little-endian):
//   0  "GANVASCK"            8 bytes of magic
//   8  u32 format version    (CHECKPOINT_VERSION)
//  12  u32 JSON byte length
//  16  u32 CRC-32 of every byte from offset 20 to the end of the file
//  20  UTF-8 JSON: document, tensor names and shapes, history, random state, iterations, optimizer scalars, settings
//  ..  zero padding up to a multiple of 8, so the float data can be viewed in place when the buffer is aligned
//  ..  float32 little-endian data of every tensor the JSON lists, in the order it lists them
import * as tf from '@tensorflow/tfjs';
import { captureAdam, disposeAdamState, restoreAdam, type AdamState } from '../train/adamState';
import { analyzeGraph } from '../graph/analyze';
import { compileGan, type CompiledGan } from '../train/compile';
import { decodeDocument, type GraphDocument, type TrainingSettings } from '../graph/document';
import { TrainingRun, type RunEvents, type RunSettings, type YieldFn } from '../train/run';
import { GanTrainer } from '../train/trainer';
import type { ImageSource } from '../data/imageSource';
import type { IterationStats } from './logLine';

export const CHECKPOINT_FORMAT = 'ganvas-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const CHECKPOINT_MAGIC = 'GANVASCK';
const HEADER_BYTES = 20;
const DATA_ALIGN = 8;
/** Far above any graph the editor allows; it keeps a hostile length field from allocating gigabytes. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const MAX_TENSOR_ELEMENTS = 2 ** 28;

/** A tensor as plain data. `name` is the variable name without the per-compile model prefix: `g_dense1/kernel`. */
export interface StoredTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** One Adam optimizer. The moments exist only after its first step, so both lists are empty at iteration 0. */
export interface StoredAdam {
  iterations: number;
  /**
   * β1^(t+1) and β2^(t+1) as the optimizer accumulated them by repeated float32 multiplication. restoreAdam recomputes
   * them with pow, which differs in the last bit after a few steps; keeping them makes resuming bitwise exact.
   */
  accBeta1: number;
  accBeta2: number;
  first: StoredTensor[];
  second: StoredTensor[];
}

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** ISO time of capture, for listing stored checkpoints. */
  createdAt: string;
  doc: GraphDocument;
  /** The document's training block with the batch size the trainer actually used (tests train smaller batches). */
  training: TrainingSettings;
  /** The TrainingRun's settings, when one was given to captureCheckpoint. */
  run?: RunSettings;
  /** Completed iterations. */
  iteration: number;
  /** The sampler's whole random state (src/train/random.ts). */
  rngState: number;
  /** G's and D's trainable variables, in CompiledGan.gVariables / dVariables order. */
  generator: StoredTensor[];
  discriminator: StoredTensor[];
  dOptimizer: StoredAdam;
  gOptimizer: StoredAdam;
  /** TrainingRun.history and TrainingRun.fine. */
  history: IterationStats[];
  fine: IterationStats[];
}

export type CheckpointDecodeResult =
  | { ok: true; checkpoint: Checkpoint }
  | { ok: false; code: string; args?: Record<string, string | number>; error: string };

/** Thrown by capture/restore when the objects handed in do not belong together (a programming error, not bad input). */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** Strips the per-compile model prefix (`generator3_`), so names match across recompiles. */
const storedName = (model: tf.LayersModel, v: tf.Variable): string => (v.name.startsWith(`${model.name}_`) ? v.name.slice(model.name.length + 1) : v.name);

// ---------------------------------------------------------------------------------------------------------------------
// Capture and restore

/**
 * Captures the trainer (and the run's history) as a backend-independent checkpoint. All state is taken synchronously
 * when called, before the first await, so training that continues meanwhile cannot tear it. Call it between
 * iterations: from a paused run, or in the run's `sample` event (after the grid has drawn its z from the sampler's
 * random state; capturing in the `checkpoint` event would miss that draw when a grid with fresh z follows).
 */
export async function captureCheckpoint(doc: GraphDocument, trainer: GanTrainer, run?: TrainingRun, options: { createdAt?: Date } = {}): Promise<Checkpoint> {
  const { gan } = trainer;
  if (run && run.trainer !== trainer) throw new CheckpointError('captureCheckpoint: the run belongs to another trainer');
  const expected = expectedVariables(doc);
  if (!expected.ok) throw new CheckpointError(`captureCheckpoint: ${expected.error}`);
  const check = (which: string, model: tf.LayersModel, vars: tf.Variable[], want: VariableExpectation[]) => {
    const problem = compareToDocument(which, vars.map((v) => ({ name: storedName(model, v), shape: v.shape })), want);
    if (problem) throw new CheckpointError(`captureCheckpoint: the document does not describe the trained models: ${problem}`);
  };
  check('generator', gan.generator, gan.gVariables, expected.generator);
  check('discriminator', gan.discriminator, gan.dVariables, expected.discriminator);

  // Synchronous part: clones and plain copies.
  const iteration = trainer.iteration;
  const rngState = trainer.sampler.rng.state;
  const history = run ? run.history.map((s) => ({ ...s })) : [];
  const fine = run ? run.fine.map((s) => ({ ...s })) : [];
  const names = (model: tf.LayersModel, vars: tf.Variable[]) => vars.map((v) => storedName(model, v));
  const gNames = names(gan.generator, gan.gVariables);
  const dNames = names(gan.discriminator, gan.dVariables);
  const clones = {
    g: gan.gVariables.map((v) => tf.clone(v)),
    d: gan.dVariables.map((v) => tf.clone(v)),
    dOpt: captureAdam(trainer.dOptimizer),
    gOpt: captureAdam(trainer.gOptimizer),
  };

  try {
    // Copies, because the cpu backend may hand out its own backing array.
    const read = async (t: tf.Tensor) => Float32Array.from(await t.data());
    const stored = async (ts: tf.Tensor[], ns: string[]) => Promise.all(ts.map(async (t, i) => ({ name: ns[i], shape: [...t.shape], data: await read(t) })));
    const storedAdam = async (o: AdamState, vars: string[]): Promise<StoredAdam> => ({
      iterations: o.iterations,
      accBeta1: (await read(o.accBetas![0]))[0],
      accBeta2: (await read(o.accBetas![1]))[0],
      first: await stored(o.first, vars.map((n) => `${n}/m`)),
      second: await stored(o.second, vars.map((n) => `${n}/v`)),
    });
    return {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      createdAt: (options.createdAt ?? new Date()).toISOString(),
      doc: JSON.parse(JSON.stringify(doc)) as GraphDocument,
      training: { ...doc.training, batchSize: trainer.batchSize },
      ...(run ? { run: { ...run.settings } } : {}),
      iteration,
      rngState,
      generator: await stored(clones.g, gNames),
      discriminator: await stored(clones.d, dNames),
      dOptimizer: await storedAdam(clones.dOpt, dNames),
      gOptimizer: await storedAdam(clones.gOpt, gNames),
      history,
      fine,
    };
  } finally {
    tf.dispose([...clones.g, ...clones.d]);
    disposeAdamState(clones.dOpt);
    disposeAdamState(clones.gOpt);
  }
}

export interface RestoreOptions {
  /** Real images for the restored trainer; must have the document's image size. */
  dataSource: ImageSource;
}

/**
 * Compiles the checkpoint's document into new models and puts every piece of state back: weights, both Adam
 * optimizers, the trainer's iteration and the sampler's random state. The caller owns (and disposes) gan and trainer.
 * A checkpoint from decodeCheckpoint is already validated; anything inconsistent throws a CheckpointError.
 */
export function restoreCheckpoint(ckpt: Checkpoint, options: RestoreOptions): { gan: CompiledGan; trainer: GanTrainer } {
  const decoded = decodeDocument(ckpt.doc);
  if (!decoded.ok) throw new CheckpointError(`restoreCheckpoint: the document is invalid: ${decoded.errors.map((e) => `${e.path}: ${e.code}`).join('; ')}`);
  const compiled = compileGan(decoded.doc, { seed: ckpt.training.seed });
  if (!compiled.ok) throw new CheckpointError(`restoreCheckpoint: the document does not compile: ${compiled.diagnostics.map((d) => d.code).join(', ')}`);
  const gan = compiled.gan;
  let trainer: GanTrainer | undefined;
  try {
    const pixels = gan.imageShape.reduce((n, d) => n * d, 1);
    if (options.dataSource.size !== pixels) throw new CheckpointError(`restoreCheckpoint: the data source has ${options.dataSource.size} pixels per image; the document needs ${pixels}`);
    const weights = (which: string, vars: tf.Variable[], stored: StoredTensor[]) => {
      const problem = compareShapes(which, stored, vars);
      if (problem) throw new CheckpointError(`restoreCheckpoint: ${problem}`);
    };
    weights('generator', gan.gVariables, ckpt.generator);
    weights('discriminator', gan.dVariables, ckpt.discriminator);
    for (const [which, opt, vars] of [
      ['D optimizer', ckpt.dOptimizer, gan.dVariables],
      ['G optimizer', ckpt.gOptimizer, gan.gVariables],
    ] as const) {
      const problem = checkMoments(which, opt, vars);
      if (problem) throw new CheckpointError(`restoreCheckpoint: ${problem}`);
    }

    trainer = new GanTrainer(gan, options.dataSource, ckpt.training.batchSize, ckpt.training.seed);
    const t = trainer;
    // tidy also frees the intermediate tensors restoreAdam clones into new moment variables.
    tf.tidy(() => {
      const tensor = (s: StoredTensor) => tf.tensor(s.data, s.shape, 'float32');
      gan.gVariables.forEach((v, i) => v.assign(tensor(ckpt.generator[i])));
      gan.dVariables.forEach((v, i) => v.assign(tensor(ckpt.discriminator[i])));
      const adam = (opt: tf.AdamOptimizer, s: StoredAdam) =>
        restoreAdam(opt, {
          iterations: s.iterations,
          first: s.first.map(tensor),
          second: s.second.map(tensor),
          accBetas: [tf.scalar(s.accBeta1, 'float32'), tf.scalar(s.accBeta2, 'float32')],
        });
      adam(t.dOptimizer, ckpt.dOptimizer);
      adam(t.gOptimizer, ckpt.gOptimizer);
    });
    trainer.iteration = ckpt.iteration;
    trainer.sampler.rng.state = ckpt.rngState >>> 0;
    return { gan, trainer };
  } catch (e) {
    trainer?.dispose();
    gan.dispose();
    throw e;
  }
}

/** Replaces a run's history and fine stats with the checkpoint's (TrainingRun exposes them as mutable arrays). */
export function restoreHistory(run: TrainingRun, ckpt: Checkpoint): void {
  run.history.length = 0;
  run.history.push(...ckpt.history.map((s) => ({ ...s })));
  run.fine.length = 0;
  run.fine.push(...ckpt.fine.map((s) => ({ ...s })));
}

/**
 * A new TrainingRun that continues the checkpoint's: the given settings, else the captured run's, else the document's
 * iterations and sample interval (reading losses back only at each sample interval).
 */
export function resumeRun(ckpt: Checkpoint, trainer: GanTrainer, options: { settings?: RunSettings; events?: RunEvents; yieldFn?: YieldFn } = {}): TrainingRun {
  const settings = options.settings ?? ckpt.run ?? { iterations: ckpt.training.iterations, sampleInterval: ckpt.training.sampleInterval, checkEvery: ckpt.training.sampleInterval };
  const run = options.yieldFn ? new TrainingRun(trainer, settings, options.events, options.yieldFn) : new TrainingRun(trainer, settings, options.events);
  restoreHistory(run, ckpt);
  return run;
}

// ---------------------------------------------------------------------------------------------------------------------
// What the document implies about the variables (no tfjs needed, so decoding stays cheap)

interface VariableExpectation {
  /** The node that owns the variables. */
  node: string;
  /** Total element count of the node's variables (from the node type's own paramCount). */
  count: number;
}
type Expectations = { ok: true; generator: VariableExpectation[]; discriminator: VariableExpectation[] } | { ok: false; error: string };

function expectedVariables(doc: GraphDocument): Expectations {
  const analysis = analyzeGraph(doc);
  if (!analysis.ok || !analysis.gan) {
    const codes = analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => (d.node ? `${d.node}: ${d.code}` : d.code));
    return { ok: false, error: `the graph is not a complete GAN (${codes.join('; ') || 'no GAN structure'})` };
  }
  const owners = (ids: string[]) => ids.filter((id) => (analysis.nodeParams[id] ?? 0) > 0).map((id) => ({ node: id, count: analysis.nodeParams[id] }));
  return { ok: true, generator: owners(analysis.gan.generator), discriminator: owners(analysis.gan.discriminator) };
}

const elements = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
type Shaped = { shape: readonly number[] };

/**
 * Checks named tensors (`<node id>/<weight>`) against the layers the document implies: each owning node's tensors
 * contiguous, in the network's order, adding up to exactly its parameter count. Returns a message, or null.
 */
function compareToDocument(which: string, tensors: (Shaped & { name: string })[], owners: VariableExpectation[]): string | null {
  let t = 0;
  for (const owner of owners) {
    let sum = 0;
    const start = t;
    while (t < tensors.length && tensors[t].name.split('/')[0] === owner.node) sum += elements(tensors[t++].shape);
    if (t === start) return `${which} has no weights for layer "${owner.node}"${tensors[t] ? ` (found "${tensors[t].name}")` : ''}`;
    if (sum !== owner.count) return `${which} layer "${owner.node}" has ${sum} weights; the document's layer has ${owner.count}`;
  }
  if (t !== tensors.length) return `${which} has ${tensors.length - t} weight tensors more than the document's ${which}`;
  return null;
}

/** Same count and shapes, in order. */
function compareShapes(which: string, tensors: Shaped[], want: Shaped[]): string | null {
  if (tensors.length !== want.length) return `${which} has ${tensors.length} weight tensors; the document's ${which} has ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    if (tensors[i].shape.join('x') !== want[i].shape.join('x')) return `${which} weight ${i} has shape [${tensors[i].shape.join(', ')}]; the document needs [${want[i].shape.join(', ')}]`;
  }
  return null;
}

/** Moments are absent (before the first step) or one per variable with the variable's shape. */
function checkMoments(which: string, opt: { first: Shaped[]; second: Shaped[] }, vars: Shaped[]): string | null {
  if (opt.first.length !== opt.second.length) return `${which} has ${opt.first.length} first and ${opt.second.length} second moments`;
  for (const [kind, list] of [
    ['first moments', opt.first],
    ['second moments', opt.second],
  ] as const) {
    if (list.length === 0) continue;
    if (list.length !== vars.length) return `${which} has ${list.length} ${kind}; its network has ${vars.length} weight tensors`;
    for (let i = 0; i < list.length; i++) {
      if (list[i].shape.join('x') !== vars[i].shape.join('x')) return `${which} ${kind} ${i} has shape [${list[i].shape.join(', ')}]; the weight has [${vars[i].shape.join(', ')}]`;
    }
  }
  return null;
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

interface TensorMeta {
  name: string;
  shape: number[];
}
interface AdamMeta {
  iterations: number;
  accBeta1: number;
  accBeta2: number;
  first: TensorMeta[];
  second: TensorMeta[];
}
/** The JSON part of the file: the checkpoint without its float data. */
interface CheckpointJson {
  format: string;
  version: number;
  createdAt: string;
  doc: unknown;
  training: TrainingSettings;
  run?: RunSettings;
  iteration: number;
  rngState: number;
  generator: TensorMeta[];
  discriminator: TensorMeta[];
  dOptimizer: AdamMeta;
  gOptimizer: AdamMeta;
  history: IterationStats[];
  fine: IterationStats[];
  /** Float32 elements after the JSON, for an early length check. */
  elements: number;
}

/** Every tensor of a checkpoint, in file order. */
const tensorsInOrder = (c: { generator: StoredTensor[]; discriminator: StoredTensor[]; dOptimizer: StoredAdam; gOptimizer: StoredAdam }): StoredTensor[] => [
  ...c.generator,
  ...c.discriminator,
  ...c.dOptimizer.first,
  ...c.dOptimizer.second,
  ...c.gOptimizer.first,
  ...c.gOptimizer.second,
];

export function encodeCheckpoint(ckpt: Checkpoint): Uint8Array {
  const meta = (ts: StoredTensor[]): TensorMeta[] => ts.map((t) => ({ name: t.name, shape: [...t.shape] }));
  const adamMeta = (a: StoredAdam): AdamMeta => ({ iterations: a.iterations, accBeta1: a.accBeta1, accBeta2: a.accBeta2, first: meta(a.first), second: meta(a.second) });
  const tensors = tensorsInOrder(ckpt);
  for (const t of tensors) {
    if (t.data.length !== elements(t.shape)) throw new CheckpointError(`encodeCheckpoint: tensor "${t.name}" has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
  }
  const count = tensors.reduce((n, t) => n + t.data.length, 0);
  const json: CheckpointJson = {
    format: ckpt.format,
    version: ckpt.version,
    createdAt: ckpt.createdAt,
    doc: ckpt.doc,
    training: ckpt.training,
    ...(ckpt.run ? { run: ckpt.run } : {}),
    iteration: ckpt.iteration,
    rngState: ckpt.rngState,
    generator: meta(ckpt.generator),
    discriminator: meta(ckpt.discriminator),
    dOptimizer: adamMeta(ckpt.dOptimizer),
    gOptimizer: adamMeta(ckpt.gOptimizer),
    history: ckpt.history,
    fine: ckpt.fine,
    elements: count,
  };
  const text = new TextEncoder().encode(JSON.stringify(json));
  const dataOffset = Math.ceil((HEADER_BYTES + text.length) / DATA_ALIGN) * DATA_ALIGN;
  const out = new Uint8Array(dataOffset + count * 4);
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

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: Json, max = Number.MAX_SAFE_INTEGER): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

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

function tensorMetas(v: Json, path: string): TensorMeta[] {
  if (!Array.isArray(v)) return invalid(`${path} is not a list`);
  return v.map((t, i) => {
    if (!isObj(t) || typeof t.name !== 'string' || t.name.length > 300) return invalid(`${path}[${i}] has no name`);
    if (!Array.isArray(t.shape) || t.shape.length > 8 || !t.shape.every((d) => isCount(d, MAX_TENSOR_ELEMENTS))) return invalid(`${path}[${i}] has a bad shape`);
    const shape = t.shape as number[];
    if (elements(shape) > MAX_TENSOR_ELEMENTS) return invalid(`${path}[${i}] is too large`);
    return { name: t.name, shape: [...shape] };
  });
}

function adamMeta(v: Json, path: string): AdamMeta {
  if (!isObj(v)) return invalid(`${path} is missing`);
  if (!isCount(v.iterations)) return invalid(`${path}.iterations is not a count`);
  const unit = (x: Json) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;
  if (!unit(v.accBeta1) || !unit(v.accBeta2)) return invalid(`${path} has bad β accumulators`);
  return { iterations: v.iterations, accBeta1: v.accBeta1 as number, accBeta2: v.accBeta2 as number, first: tensorMetas(v.first, `${path}.first`), second: tensorMetas(v.second, `${path}.second`) };
}

function statsList(v: Json, path: string, maxIteration: number): IterationStats[] {
  if (!Array.isArray(v)) return invalid(`${path} is not a list`);
  return v.map((s, i) => {
    const finite = (x: Json) => typeof x === 'number' && Number.isFinite(x);
    if (!isObj(s) || !isCount(s.iteration, maxIteration) || !finite(s.dLoss) || !finite(s.acc) || !finite(s.gLoss)) return invalid(`${path}[${i}] is not an iteration's stats`);
    return { iteration: s.iteration, dLoss: s.dLoss as number, acc: s.acc as number, gLoss: s.gLoss as number };
  });
}

function runSettings(v: Json): RunSettings | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v) || !isCount(v.iterations) || !isCount(v.sampleInterval) || !isCount(v.checkEvery) || v.sampleInterval < 1 || v.checkEvery < 1) return invalid('run settings');
  if (v.fixedNoise !== undefined && typeof v.fixedNoise !== 'boolean') return invalid('run.fixedNoise');
  if (v.gridSize !== undefined && !isCount(v.gridSize, 4096)) return invalid('run.gridSize');
  return {
    iterations: v.iterations,
    sampleInterval: v.sampleInterval,
    checkEvery: v.checkEvery,
    ...(v.fixedNoise !== undefined ? { fixedNoise: v.fixedNoise } : {}),
    ...(v.gridSize !== undefined ? { gridSize: v.gridSize as number } : {}),
  };
}

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
  if (version !== CHECKPOINT_VERSION) throw new Invalid('checkpoint.version', `checkpoint format version ${version} is not supported (this Ganvas reads version ${CHECKPOINT_VERSION})`, { version, supported: CHECKPOINT_VERSION });
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

  let raw: Json;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonBytes)));
  } catch (e) {
    throw new Invalid('checkpoint.invalid', `the checkpoint's JSON is malformed: ${e instanceof Error ? e.message : String(e)}`, { what: 'JSON' });
  }
  if (!isObj(raw)) return invalid('JSON is not an object');
  if (raw.format !== CHECKPOINT_FORMAT) return invalid(`format is ${JSON.stringify(raw.format)}, not "${CHECKPOINT_FORMAT}"`);
  if (raw.version !== CHECKPOINT_VERSION) return invalid('JSON version differs from the header');
  const docResult = decodeDocument(raw.doc);
  if (!docResult.ok) {
    const first = docResult.errors.slice(0, 3).map((e) => `${e.path}: ${e.code}`).join('; ');
    throw new Invalid('checkpoint.badDocument', `the checkpoint's graph document is invalid (${first})`, { detail: first });
  }
  const doc = docResult.doc;
  const training = raw.training;
  if (!isObj(training) || !isCount(training.batchSize, 4096) || training.batchSize < 1 || !isCount(training.iterations) || !isCount(training.sampleInterval) || training.sampleInterval < 1 || !isCount(training.seed, 2 ** 32 - 1)) {
    return invalid('training settings');
  }
  const run = runSettings(raw.run);
  if (!isCount(raw.iteration)) return invalid('iteration');
  if (!isCount(raw.rngState, 2 ** 32 - 1)) return invalid('random state');
  const iteration = raw.iteration;
  const generator = tensorMetas(raw.generator, 'generator');
  const discriminator = tensorMetas(raw.discriminator, 'discriminator');
  const dOptimizer = adamMeta(raw.dOptimizer, 'dOptimizer');
  const gOptimizer = adamMeta(raw.gOptimizer, 'gOptimizer');
  const history = statsList(raw.history, 'history', iteration);
  const fine = statsList(raw.fine, 'fine', iteration);
  if (typeof raw.createdAt !== 'string' || raw.createdAt.length > 64) return invalid('createdAt');

  // The weights must fit the document: the same layers, each with its own parameter count.
  const expected = expectedVariables(doc);
  if (!expected.ok) throw new Invalid('checkpoint.badDocument', `the checkpoint's graph cannot be trained: ${expected.error}`, { detail: expected.error });
  const mismatch = (problem: string | null) => {
    if (problem) throw new Invalid('checkpoint.mismatch', `the checkpoint's weights do not fit its graph: ${problem}`, { detail: problem });
  };
  mismatch(compareToDocument('generator', generator, expected.generator));
  mismatch(compareToDocument('discriminator', discriminator, expected.discriminator));
  mismatch(checkMoments('D optimizer', dOptimizer, discriminator));
  mismatch(checkMoments('G optimizer', gOptimizer, generator));

  const metas = [...generator, ...discriminator, ...dOptimizer.first, ...dOptimizer.second, ...gOptimizer.first, ...gOptimizer.second];
  const count = metas.reduce((n, t) => n + elements(t.shape), 0);
  if (raw.elements !== count) return invalid(`it announces ${String(raw.elements)} weights but lists tensors with ${count}`);
  const dataOffset = Math.ceil((HEADER_BYTES + jsonBytes) / DATA_ALIGN) * DATA_ALIGN;
  const expectedLength = dataOffset + count * 4;
  if (bytes.length < expectedLength) throw new Invalid('checkpoint.truncated', `the checkpoint is truncated (${bytes.length} of ${expectedLength} bytes)`, { bytes: bytes.length, expected: expectedLength });
  if (bytes.length > expectedLength) return invalid(`${bytes.length - expectedLength} unexpected bytes after the weights`);

  let at = dataOffset;
  const read = (m: TensorMeta): StoredTensor => {
    const n = elements(m.shape);
    const data = new Float32Array(n);
    // Copy rather than view, so the checkpoint does not pin the (possibly large, possibly shared) file buffer.
    if (LITTLE_ENDIAN_HOST) new Uint8Array(data.buffer).set(bytes.subarray(at, at + n * 4));
    else for (let i = 0; i < n; i++) data[i] = view.getFloat32(at + i * 4, true);
    at += n * 4;
    return { ...m, data };
  };
  const readAll = (ms: TensorMeta[]) => ms.map(read);
  const g = readAll(generator);
  const d = readAll(discriminator);
  const dFirst = readAll(dOptimizer.first);
  const dSecond = readAll(dOptimizer.second);
  const gFirst = readAll(gOptimizer.first);
  const gSecond = readAll(gOptimizer.second);
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    createdAt: raw.createdAt,
    doc,
    training: { iterations: training.iterations, batchSize: training.batchSize, sampleInterval: training.sampleInterval, seed: training.seed as number },
    ...(run ? { run } : {}),
    iteration,
    rngState: raw.rngState,
    generator: g,
    discriminator: d,
    dOptimizer: { ...dOptimizer, first: dFirst, second: dSecond },
    gOptimizer: { ...gOptimizer, first: gFirst, second: gSecond },
    history,
    fine,
  };
}

/** The file length the JSON announces, if the JSON part is intact enough to say; used only to word errors. */
function announcedLength(bytes: Uint8Array, jsonBytes: number): number | undefined {
  try {
    const raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonBytes))) as Json;
    if (!isObj(raw) || !isCount(raw.elements)) return undefined;
    return Math.ceil((HEADER_BYTES + jsonBytes) / DATA_ALIGN) * DATA_ALIGN + raw.elements * 4;
  } catch {
    return undefined;
  }
}
