import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from './checkpoint';
import { captureCheckpoint, resumeRun, restoreCheckpoint } from '../train/checkpoint';
import { compileGan, type CompiledGan } from '../train/compile';
import { cloneDocument, type GraphDocument } from '../graph/document';
import { TrainingRun, type RunSettings } from '../train/run';
import { GanTrainer } from '../train/trainer';
import { presetDocument, syntheticImages } from '../testing/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BATCH = 32;
const SAMPLER_SEED = 5;
const settings = (iterations: number): RunSettings => ({ iterations, sampleInterval: 2, checkEvery: 1 });
const data = syntheticImages();

function freshTrainer(doc: GraphDocument = presetDocument()): { gan: CompiledGan; trainer: GanTrainer } {
  const r = compileGan(doc, { seed: 7 });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return { gan: r.gan, trainer: new GanTrainer(r.gan, data, BATCH, SAMPLER_SEED) };
}

interface Adamish {
  iterations_: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { variable: tf.Variable }[];
  accumulatedSecondMoment: { variable: tf.Variable }[];
}
/** Every number that determines the next step, as raw bytes: weights, both optimizers, iteration, random state. */
function stateBytes(trainer: GanTrainer): Record<string, number[]> {
  const bytes = (t: tf.Tensor) => Array.from(new Uint8Array((t.dataSync() as Float32Array).slice().buffer));
  const adam = (o: tf.AdamOptimizer) => {
    const a = o as unknown as Adamish;
    // A fresh tfjs optimizer leaves iterations_ undefined until its first step; that means 0.
    return [[a.iterations_ ?? 0], bytes(a.accBeta1), bytes(a.accBeta2), ...a.accumulatedFirstMoment.map((m) => bytes(m.variable)), ...a.accumulatedSecondMoment.map((m) => bytes(m.variable))];
  };
  const out: Record<string, number[]> = { iteration: [trainer.iteration], rng: [trainer.sampler.rng.state] };
  trainer.gan.gVariables.forEach((v, i) => (out[`g${i}`] = bytes(v)));
  trainer.gan.dVariables.forEach((v, i) => (out[`d${i}`] = bytes(v)));
  adam(trainer.dOptimizer).forEach((b, i) => (out[`dAdam${i}`] = b));
  adam(trainer.gOptimizer).forEach((b, i) => (out[`gAdam${i}`] = b));
  return out;
}

async function roundTrip(ckpt: Checkpoint): Promise<Checkpoint> {
  const decoded = decodeCheckpoint(encodeCheckpoint(ckpt));
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.checkpoint;
}

describe('resuming from a checkpoint', () => {
  it('6 iterations straight equal 3 → capture → encode → decode → restore into new models → 3 more, bitwise', async () => {
    const doc = presetDocument();
    const a = freshTrainer(doc);
    const straight = new TrainingRun(a.trainer, settings(6));
    expect(await straight.run()).toBe('finished');

    const b = freshTrainer(doc);
    const first = new TrainingRun(b.trainer, settings(3));
    expect(await first.run()).toBe('finished');
    const ckpt = await roundTrip(await captureCheckpoint(doc, b.trainer, first));
    expect(ckpt.iteration).toBe(3);
    expect(ckpt.dOptimizer.iterations).toBe(6);
    expect(ckpt.gOptimizer.iterations).toBe(3);
    expect(ckpt.training.batchSize).toBe(BATCH);
    first.dispose();
    b.trainer.dispose();
    b.gan.dispose();

    const c = restoreCheckpoint(ckpt, { dataSource: data });
    const second = resumeRun(ckpt, c.trainer, { settings: settings(6) });
    expect(second.history.map((s) => s.iteration)).toEqual([2]);
    expect(await second.run()).toBe('finished');

    expect(stateBytes(c.trainer)).toEqual(stateBytes(a.trainer));
    // Per-batch losses and accuracy at every iteration, to the last bit.
    expect(second.fine).toEqual(straight.fine);
    expect(second.history).toEqual(straight.history);
    expect(second.fine.map((s) => s.iteration)).toEqual([1, 2, 3, 4, 5, 6]);

    for (const x of [a, c]) {
      x.trainer.dispose();
      x.gan.dispose();
    }
    straight.dispose();
    second.dispose();
  });

  it('a checkpoint taken before the first step (no Adam moments yet) resumes exactly too', async () => {
    const doc = presetDocument();
    const a = freshTrainer(doc);
    const b = freshTrainer(doc);
    const ckpt = await roundTrip(await captureCheckpoint(doc, b.trainer));
    expect(ckpt.iteration).toBe(0);
    expect(ckpt.dOptimizer.first).toEqual([]);
    expect(ckpt.gOptimizer.second).toEqual([]);
    const c = restoreCheckpoint(ckpt, { dataSource: data });
    for (let i = 0; i < 2; i++) {
      tf.dispose(Object.values(a.trainer.step()));
      tf.dispose(Object.values(c.trainer.step()));
    }
    expect(stateBytes(c.trainer)).toEqual(stateBytes(a.trainer));
    for (const x of [a, b, c]) {
      x.trainer.dispose();
      x.gan.dispose();
    }
  });

  it("keeps Adam's β accumulators bit-exact where recomputing them with pow (as restoreAdam does) would not", async () => {
    const doc = presetDocument();
    const a = freshTrainer(doc);
    // Find a step count where β1^(t+1) by repeated float32 multiplication (what Adam does) differs from pow.
    let product = tf.scalar(0.9);
    let steps = 0;
    for (let t = 1; t <= 60 && steps === 0; t++) {
      const next = tf.mul(product, 0.9) as tf.Scalar;
      product.dispose();
      product = next;
      const pow = tf.pow(0.9, t + 1);
      if (pow.dataSync()[0] !== product.dataSync()[0]) steps = t;
      pow.dispose();
    }
    expect(steps).toBeGreaterThan(0);
    const opt = a.trainer.dOptimizer as unknown as Adamish;
    opt.iterations_ = steps;
    opt.accBeta1.assign(product);
    product.dispose();
    const ckpt = await roundTrip(await captureCheckpoint(doc, a.trainer));
    const c = restoreCheckpoint(ckpt, { dataSource: data });
    expect(stateBytes(c.trainer)).toEqual(stateBytes(a.trainer));
    for (const x of [a, c]) {
      x.trainer.dispose();
      x.gan.dispose();
    }
  });

  it('captures the document it is given, not a stale one, and refuses a document that does not match the models', async () => {
    const doc = presetDocument();
    const a = freshTrainer(doc);
    const other = cloneDocument(doc);
    other.nodes.find((n) => n.id === 'g_dense1')!.params.units = 256;
    await expect(captureCheckpoint(other, a.trainer)).rejects.toThrow(/g_dense1.*weights/);
    a.trainer.dispose();
    a.gan.dispose();
  });
});

describe('checkpoint files', () => {
  let file: Uint8Array;
  let ckpt: Checkpoint;
  beforeAll(async () => {
    const doc = presetDocument();
    const a = freshTrainer(doc);
    const run = new TrainingRun(a.trainer, settings(2));
    await run.run();
    ckpt = await captureCheckpoint(doc, a.trainer, run, { createdAt: new Date(0) });
    file = encodeCheckpoint(ckpt);
    run.dispose();
    a.trainer.dispose();
    a.gan.dispose();
  });

  it('has the documented header and 8-byte-aligned little-endian float data', () => {
    expect(new TextDecoder().decode(file.subarray(0, 8))).toBe('GANVASCK');
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    expect(view.getUint32(8, true)).toBe(2);
    const jsonBytes = view.getUint32(12, true);
    const meta = JSON.parse(new TextDecoder().decode(file.subarray(20, 20 + jsonBytes))) as { elements: number; generator: { name: string; shape: number[] }[] };
    expect(meta.generator.map((t) => `${t.name} ${t.shape.join('x')}`)).toEqual(['g_dense1/kernel 100x128', 'g_dense1/bias 128', 'g_dense2/kernel 128x784', 'g_dense2/bias 784']);
    // Weights of G and D (114,064 + 100,609) plus two moments each.
    expect(meta.elements).toBe(3 * (114_064 + 100_609));
    const dataOffset = Math.ceil((20 + jsonBytes) / 8) * 8;
    expect(file.length).toBe(dataOffset + meta.elements * 4);
    expect(view.getFloat32(dataOffset, true)).toBe(ckpt.generator[0].data[0]);
  });

  it('round-trips every field', async () => {
    const back = decodeCheckpoint(file);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    // Float data compared as bytes (fast and bitwise); everything else structurally.
    const split = (c: Checkpoint) => {
      const data: Buffer[] = [];
      const strip = (ts: { name: string; shape: number[]; data: Float32Array }[]) => ts.map((t) => (data.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)), { ...t, data: null }));
      const rest = {
        ...c,
        generator: strip(c.generator),
        discriminator: strip(c.discriminator),
        dOptimizer: { ...c.dOptimizer, first: strip(c.dOptimizer.first), second: strip(c.dOptimizer.second) },
        gOptimizer: { ...c.gOptimizer, first: strip(c.gOptimizer.first), second: strip(c.gOptimizer.second) },
      };
      return { rest, data };
    };
    const x = split(back.checkpoint);
    const y = split(ckpt);
    expect(x.rest).toEqual(y.rest);
    expect(x.data.length).toBe(24);
    x.data.forEach((b, i) => expect(b.equals(y.data[i])).toBe(true));
    // Also from an ArrayBuffer and from a view at an unaligned offset (as a slice of a larger upload buffer).
    expect(decodeCheckpoint(file.slice().buffer).ok).toBe(true);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    expect(decodeCheckpoint(padded.subarray(3)).ok).toBe(true);
  });

  const refused = (bytes: Uint8Array, code: string, message: RegExp) => {
    const r = decodeCheckpoint(bytes);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(code);
    expect(r.error).toMatch(message);
  };

  it('refuses truncated files, at any length', () => {
    refused(file.subarray(0, file.length - 1), 'checkpoint.truncated', /truncated/);
    refused(file.subarray(0, 1000), 'checkpoint.truncated', /truncated/);
    refused(file.subarray(0, 12), 'checkpoint.truncated', /truncated/);
    refused(new Uint8Array(0), 'checkpoint.notCheckpoint', /not a Ganvas checkpoint/);
    for (const n of [1, 7, 8, 19, 20, 21, 500, Math.floor(file.length / 2)]) expect(decodeCheckpoint(file.subarray(0, n)).ok).toBe(false);
  });

  it('refuses a wrong magic, a future version, and trailing bytes', () => {
    const bad = file.slice();
    bad[0] = 'X'.charCodeAt(0);
    refused(bad, 'checkpoint.notCheckpoint', /GANVASCK/);
    refused(new TextEncoder().encode('{"format":"ganvas-graph"}'), 'checkpoint.notCheckpoint', /not a Ganvas checkpoint/);
    const future = file.slice();
    new DataView(future.buffer).setUint32(8, 3, true);
    refused(future, 'checkpoint.version', /version 3 is not supported/);
    const longer = new Uint8Array(file.length + 4);
    longer.set(file);
    expect(decodeCheckpoint(longer).ok).toBe(false);
  });

  it('refuses a flipped byte in the JSON or in the weights (checksum)', () => {
    const jsonFlip = file.slice();
    jsonFlip[40] ^= 0x01;
    refused(jsonFlip, 'checkpoint.checksum', /checksum/);
    const weightFlip = file.slice();
    weightFlip[file.length - 5] ^= 0x80;
    refused(weightFlip, 'checkpoint.checksum', /checksum/);
  });

  it('refuses well-formed files whose contents do not fit (checked after the checksum)', () => {
    // Wrong weight count: D's last bias dropped.
    refused(encodeCheckpoint({ ...ckpt, discriminator: ckpt.discriminator.slice(0, 3) }), 'checkpoint.mismatch', /discriminator layer "d_dense2" has 128 weights; the document's layer has 129/);
    // Weights of a 128-unit layer under a document that now says 256.
    const wider = cloneDocument(ckpt.doc);
    wider.nodes.find((n) => n.id === 'g_dense1')!.params.units = 256;
    refused(encodeCheckpoint({ ...ckpt, doc: wider }), 'checkpoint.mismatch', /generator layer "g_dense1" has 12928 weights; the document's layer has 25856/);
    // Moments whose shapes are not the weights'.
    const moments = [...ckpt.gOptimizer.first];
    [moments[0], moments[2]] = [moments[2], moments[0]];
    refused(encodeCheckpoint({ ...ckpt, gOptimizer: { ...ckpt.gOptimizer, first: moments } }), 'checkpoint.mismatch', /G optimizer first moments 0 has shape \[128, 784\]/);
    // An invalid graph document (via decodeDocument).
    refused(encodeCheckpoint({ ...ckpt, doc: { ...ckpt.doc, nodes: [...ckpt.doc.nodes, { id: 'x', type: 'Conv9D', params: {}, position: { x: 0, y: 0 } }] } }), 'checkpoint.badDocument', /unknownType/);
    // A document that decodes but is not a GAN.
    refused(encodeCheckpoint({ ...ckpt, doc: { ...ckpt.doc, edges: ckpt.doc.edges.filter((e) => e.id !== 'e11') } }), 'checkpoint.badDocument', /not a complete GAN/);
    // Broken stats and state.
    refused(encodeCheckpoint({ ...ckpt, history: [{ iteration: 99, dLoss: 0, acc: 0, gLoss: 0 }] }), 'checkpoint.invalid', /history\[0\]/);
    refused(encodeCheckpoint({ ...ckpt, rngState: -1 }), 'checkpoint.invalid', /random state/);
  });

  it('refuses malformed JSON behind a valid checksum', () => {
    const text = new TextEncoder().encode('{"format": "ganvas-checkpoint", oops');
    const bytes = new Uint8Array(24 + text.length);
    bytes.set(new TextEncoder().encode('GANVASCK'));
    const view = new DataView(bytes.buffer);
    view.setUint32(8, 1, true);
    view.setUint32(12, text.length, true);
    bytes.set(text, 20);
    // Recompute the checksum with a fresh encoder-independent CRC-32.
    let crc = 0xffffffff;
    for (const b of bytes.subarray(20)) {
      crc ^= b;
      for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
    }
    view.setUint32(16, (crc ^ 0xffffffff) >>> 0, true);
    refused(bytes, 'checkpoint.invalid', /JSON is malformed/);
  });

  /** The file with its JSON part rewritten (and the checksum recomputed), float data unchanged. */
  const rewritten = (version: number, edit: (json: Record<string, unknown>) => void): Uint8Array => {
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const jsonBytes = view.getUint32(12, true);
    const json = JSON.parse(new TextDecoder().decode(file.subarray(20, 20 + jsonBytes))) as Record<string, unknown>;
    const floats = file.subarray(Math.ceil((20 + jsonBytes) / 8) * 8);
    edit(json);
    const text = new TextEncoder().encode(JSON.stringify(json));
    const offset = Math.ceil((20 + text.length) / 8) * 8;
    const out = new Uint8Array(offset + floats.length);
    out.set(new TextEncoder().encode('GANVASCK'));
    const v = new DataView(out.buffer);
    v.setUint32(8, version, true);
    v.setUint32(12, text.length, true);
    out.set(text, 20);
    out.set(floats, offset);
    let crc = 0xffffffff;
    for (const b of out.subarray(20)) {
      crc ^= b;
      for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
    }
    v.setUint32(16, (crc ^ 0xffffffff) >>> 0, true);
    return out;
  };

  it('reads a version 1 file (no phase, trained variables only) as a checkpoint at the start of an iteration', () => {
    const v1 = rewritten(1, (json) => {
      json.version = 1;
      delete json.phase;
      delete json.generatorUntrained;
      delete json.discriminatorUntrained;
    });
    const back = decodeCheckpoint(v1);
    if (!back.ok) throw new Error(back.error);
    expect(back.checkpoint.version).toBe(2);
    expect(back.checkpoint.phase).toBe('start');
    expect(back.checkpoint.generatorUntrained).toEqual([]);
    expect(back.checkpoint.discriminatorUntrained).toEqual([]);
    // Everything else as captured: tensors compared as bytes, the rest structurally.
    const bytes = (c: Checkpoint) => [...c.generator, ...c.discriminator, ...c.dOptimizer.first, ...c.gOptimizer.second].map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    bytes(back.checkpoint).forEach((b, i) => expect(b.equals(bytes(ckpt)[i])).toBe(true));
    const rest = (c: Checkpoint) => ({ ...c, generator: c.generator.map((t) => t.name), discriminator: c.discriminator.map((t) => t.name), dOptimizer: c.dOptimizer.iterations, gOptimizer: c.gOptimizer.iterations });
    expect(rest(back.checkpoint)).toEqual(rest(ckpt));
    // A version 2 file must say where in the iteration it is.
    refused(rewritten(2, (json) => delete json.phase), 'checkpoint.invalid', /invalid: phase$/);
    refused(rewritten(2, (json) => (json.phase = 'middle')), 'checkpoint.invalid', /invalid: phase$/);
  });

  it("validates the JSON with today's messages, naming the first problem's place", () => {
    const what = (edit: (json: Record<string, any>) => void) => {
      const r = decodeCheckpoint(rewritten(2, edit));
      return r.ok ? 'ok' : [r.code, r.args?.what].join(' ');
    };
    expect(what(() => undefined)).toBe('ok');
    expect(what((j) => delete j.iteration)).toBe('checkpoint.invalid iteration');
    expect(what((j) => (j.training.batchSize = 0))).toBe('checkpoint.invalid training settings');
    expect(what((j) => (j.run = { iterations: 4, sampleInterval: 2, checkEvery: 1, fixedNoise: 'yes' }))).toBe('checkpoint.invalid run.fixedNoise');
    expect(what((j) => (j.generator[1] = 5))).toBe('checkpoint.invalid generator[1] has no name');
    expect(what((j) => (j.generator[0].shape = [-1]))).toBe('checkpoint.invalid generator[0] has a bad shape');
    expect(what((j) => (j.generator[0].shape = [2 ** 20, 2 ** 10]))).toBe('checkpoint.invalid generator[0] is too large');
    expect(what((j) => delete j.dOptimizer.iterations)).toBe('checkpoint.invalid dOptimizer.iterations is not a count');
    expect(what((j) => (j.gOptimizer.accBeta1 = 2))).toBe('checkpoint.invalid gOptimizer has bad β accumulators');
    expect(what((j) => delete j.gOptimizer.second[3].name)).toBe('checkpoint.invalid gOptimizer.second[3] has no name');
    expect(what((j) => (j.discriminatorUntrained = {}))).toBe('checkpoint.invalid discriminatorUntrained is not a list');
    expect(what((j) => delete j.fine[0].acc)).toBe("checkpoint.invalid fine[0] is not an iteration's stats");
    expect(what((j) => (j.createdAt = 5))).toBe('checkpoint.invalid createdAt');
    expect(what((j) => (j.elements = 5))).toMatch(/^checkpoint.invalid it announces 5 weights but lists tensors with \d+$/);
  });

  it('never throws on random bytes', () => {
    let seed = 1;
    for (let i = 0; i < 200; i++) {
      const n = (i * 37) % 300;
      const bytes = new Uint8Array(n);
      for (let j = 0; j < n; j++) bytes[j] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      if (i % 2 === 0 && n >= 8) bytes.set(new TextEncoder().encode('GANVASCK'));
      expect(() => decodeCheckpoint(bytes)).not.toThrow();
      expect(decodeCheckpoint(bytes).ok).toBe(false);
    }
  });
});

describe('tensor bookkeeping', () => {
  it('capture leaves no tensors behind, and a restored trainer holds exactly what a trained one does', async () => {
    const doc = presetDocument();
    const base = tf.memory().numTensors;
    const a = freshTrainer(doc);
    for (let i = 0; i < 3; i++) tf.dispose(Object.values(a.trainer.step()));
    const trained = tf.memory().numTensors - base;

    const before = tf.memory().numTensors;
    const ckpt = await captureCheckpoint(doc, a.trainer);
    expect(tf.memory().numTensors).toBe(before);

    const decoded = decodeCheckpoint(encodeCheckpoint(ckpt));
    if (!decoded.ok) throw new Error(decoded.error);
    const atRestore = tf.memory().numTensors;
    const c = restoreCheckpoint(decoded.checkpoint, { dataSource: data });
    // The trained trainer also holds its two cached label batches, created by its steps; take one step on each.
    tf.dispose(Object.values(c.trainer.step()));
    tf.dispose(Object.values(a.trainer.step()));
    expect(tf.memory().numTensors - atRestore).toBe(trained);

    c.trainer.dispose();
    c.gan.dispose();
    expect(tf.memory().numTensors).toBe(atRestore);
    a.trainer.dispose();
    a.gan.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('a restore that fails part-way disposes what it built', async () => {
    const doc = presetDocument();
    const a = freshTrainer(doc);
    const ckpt = await captureCheckpoint(doc, a.trainer);
    a.trainer.dispose();
    a.gan.dispose();
    const before = tf.memory().numTensors;
    expect(() => restoreCheckpoint(ckpt, { dataSource: syntheticImages(16, 100) })).toThrow(/100 pixels per image; the document needs 784/);
    expect(() => restoreCheckpoint({ ...ckpt, generator: ckpt.generator.slice(1) }, { dataSource: data })).toThrow(/generator has 3 weight tensors/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
