// Property-based tests (fast-check, fixed seed): the loader and the analyzer never throw on hostile input, every
// refusal is explained in both languages, every valid GAN compiles to models with the counted parameters, and the
// URL form round-trips.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_MESSAGES, engineMessage, LANGS } from '../i18n/messages';
import { analyzeGraph, type GraphAnalysis } from './analyze';
import { compileGan, countParameters } from '../train/compile';
import {
  decodeDocument,
  decodeDocumentFromUrl,
  encodeDocumentForUrl,
  parseDocument,
  serializeDocument,
  type DecodeResult,
  type GraphDocument,
} from './document';
import {
  applyMutations,
  applyTextEdit,
  graphDocument,
  mutation,
  nastyValue,
  schemaValidDocument,
  textEdit,
  type Mutation,
  type TextEdit,
} from '../testing/arbitraries';

/** Fixed so that a failure reproduces; change it deliberately to explore further. */
const SEED = 0x6a4e5;
const RUNS = 1_000;
/** Compiling is the slow part: only this many valid documents, and only small ones. */
const COMPILE_CAP = 30;
const COMPILE_MAX_PARAMS = 250_000;

const counts = { json: 0, jsonAccepted: 0, graph: 0, valid: 0, invalid: 0, compiled: 0, url: 0 };

const presetText = readFileSync(new URL('../../presets/mnist-gan.json', import.meta.url), 'utf8');
const presetRaw = (): Record<string, unknown> => JSON.parse(presetText);
/** The preset as a version-0 file would have stored it, so mutations also go through the migration. */
function presetV0(): Record<string, unknown> {
  type Edge = { id: string; from: { node: string; socket: string }; to: { node: string; socket: string } };
  const { edges, training: _training, ...rest } = presetRaw() as { edges: Edge[]; training: unknown };
  const connections = edges.map((e) => ({ id: e.id, source: e.from.node, sourceOutput: e.from.socket, target: e.to.node, targetInput: e.to.socket }));
  return { ...rest, version: 0, connections };
}

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

function expectExplained(code: string, args?: Record<string, string | number>): void {
  for (const lang of LANGS) {
    expect(ENGINE_MESSAGES[lang][code], `${lang} message for ${code}`).toBeTypeOf('string');
    expect(engineMessage(code, args, lang)).not.toMatch(/\{\w+\}/);
  }
}

/** What every loader result must satisfy, whatever the input was. */
function checkDecode(r: DecodeResult): void {
  if (r.ok) {
    // An accepted document is a fixed point: serialize → parse gives it back, byte for byte.
    const text = serializeDocument(r.doc);
    const again = parseDocument(text);
    expect(again.ok).toBe(true);
    if (again.ok) expect(serializeDocument(again.doc)).toBe(text);
    // And the analyzer takes whatever the loader accepts.
    analyzeGraph(r.doc);
  } else {
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) {
      expect(typeof e.path === 'string' && e.path.length > 0).toBe(true);
      expectExplained(e.code, e.args);
    }
  }
  // Keys like "__proto__" and "constructor" in the input must not reach Object.prototype.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
}

type JsonCase =
  | { kind: 'value'; value: unknown }
  | { kind: 'mutated'; v0: boolean; mutations: Mutation[] }
  | { kind: 'text'; v0: boolean; mutations: Mutation[]; edits: TextEdit[] };

const jsonCase: fc.Arbitrary<JsonCase> = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), value: fc.oneof(fc.jsonValue(), nastyValue, fc.anything({ withNullPrototype: true, withBigInt: true, withBoxedValues: true })) }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('mutated' as const), v0: fc.boolean(), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      v0: fc.boolean(),
      mutations: fc.array(mutation, { maxLength: 2 }),
      edits: fc.array(textEdit, { minLength: 1, maxLength: 2 }),
    }),
  },
);

function runJsonCase(c: JsonCase): DecodeResult {
  if (c.kind === 'value') {
    // Both entry points: the value itself, and its text where it has one.
    let text: string | undefined;
    try {
      text = JSON.stringify(c.value);
    } catch {
      text = undefined; // BigInt and the like have no JSON text
    }
    if (typeof text === 'string') checkDecode(parseDocument(text));
    return decodeDocument(c.value);
  }
  const raw = applyMutations(c.v0 ? presetV0() : presetRaw(), c.mutations);
  if (c.kind === 'mutated') return decodeDocument(raw);
  let text = JSON.stringify(raw);
  for (const e of c.edits) text = applyTextEdit(text, e);
  return parseDocument(text);
}

/** Compiles a valid document and checks the models against the analysis; leaves no tensors behind. */
function compileAndCheck(doc: GraphDocument, a: GraphAnalysis): void {
  const before = tf.memory().numTensors;
  const r = compileGan(doc, { seed: 1 });
  if (!r.ok) throw new Error(`valid document did not compile: ${JSON.stringify(r.diagnostics)}`);
  const { gan } = r;
  expect(countParameters(gan.gVariables)).toBe(a.totals.generator);
  expect(countParameters(gan.dVariables)).toBe(a.totals.discriminator);
  expect(gan.generator.outputs[0].shape).toEqual([null, 28, 28, 1]);
  expect(gan.combined.outputs[0].shape).toEqual([null, 1]);
  // One forward pass through z → G → D proves the layers fit together at run time, not just symbolically.
  const p = tf.tidy(() => gan.combined.predict(tf.randomNormal([2, gan.zSize], 0, 1, 'float32', 1)) as tf.Tensor);
  expect(p.shape).toEqual([2, 1]);
  p.dispose();
  gan.dispose();
  expect(tf.memory().numTensors).toBe(before);
  counts.compiled++;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

afterAll(() => {
  console.log(
    `fuzz: ${counts.json} json cases (${counts.jsonAccepted} accepted), ${counts.graph} graph cases (${counts.valid} valid, ${counts.invalid} invalid, ${counts.compiled} compiled), ` +
      `${counts.url} url round trips`,
  );
});

describe('fuzz', () => {
  it('decodeDocument / parseDocument never throw and explain every refusal', () => {
    fc.assert(
      fc.property(jsonCase, (c) => {
        counts.json++;
        const r = runJsonCase(c);
        if (r.ok) counts.jsonAccepted++;
        checkDecode(r);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(counts.json).toBe(RUNS);
    // Some mutations are harmless (a new name, a moved node): both branches of checkDecode must have run.
    expect(counts.jsonAccepted).toBeGreaterThan(RUNS / 50);
    expect(counts.jsonAccepted).toBeLessThan(RUNS);
  });

  it('analyzeGraph never throws; invalid graphs are explained; valid ones compile with the counted parameters', () => {
    fc.assert(
      fc.property(graphDocument, (doc) => {
        counts.graph++;
        const copy = structuredClone(doc);
        const a = analyzeGraph(doc);
        // Analysis reads the document and nothing else: it leaves it as it was, and repeats exactly.
        expect(doc).toEqual(copy);
        expect(analyzeGraph(copy)).toEqual(a);
        for (const d of a.diagnostics) expectExplained(d.code, d.args);
        const errors = a.diagnostics.filter((d) => d.severity === 'error');
        if (!a.ok) {
          counts.invalid++;
          expect(errors.length).toBeGreaterThan(0);
          expect(a.gan).toBeUndefined();
          return;
        }
        counts.valid++;
        expect(errors).toEqual([]);
        const gan = a.gan!;
        for (const id of gan.generator) expect(a.network[id]).toBe('generator');
        for (const id of gan.discriminator) expect(a.network[id]).toBe('discriminator');
        if (counts.compiled < COMPILE_CAP && a.totals.generator + a.totals.discriminator <= COMPILE_MAX_PARAMS) compileAndCheck(doc, a);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The generator is meant to produce a good share of valid GANs; if it stops, this test would prove little.
    expect(counts.valid).toBeGreaterThanOrEqual(RUNS / 10);
    expect(counts.invalid).toBeGreaterThanOrEqual(RUNS / 10);
    expect(counts.compiled).toBe(COMPILE_CAP);
  });

  it('CompiledGan.dispose() frees every weight', () => {
    const doc = decodeDocument(JSON.parse(presetText));
    if (!doc.ok) throw new Error('preset');
    const before = tf.memory().numTensors;
    const r = compileGan(doc.doc);
    if (!r.ok) throw new Error('preset did not compile');
    r.gan.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a Flatten on a flat vector compiles, as Keras\'s does', () => {
    const raw = JSON.parse(presetText) as GraphDocument;
    raw.nodes.push({ id: 'g_flat', type: 'Flatten', params: {}, position: { x: 0, y: 0 } });
    raw.edges.find((e) => e.id === 'e3')!.from = { node: 'g_flat', socket: 'out' };
    raw.edges.push({ id: 'e13', from: { node: 'g_lrelu', socket: 'out' }, to: { node: 'g_flat', socket: 'in' } });
    expect(analyzeGraph(raw).ok).toBe(true);
    const r = compileGan(raw);
    expect(r.ok).toBe(true);
    if (r.ok) r.gan.dispose();
  });

  it('the URL form round-trips every schema-valid document', () => {
    fc.assert(
      fc.property(schemaValidDocument, (generated) => {
        counts.url++;
        const loaded = decodeDocument(generated);
        if (!loaded.ok) throw new Error(`generator made an invalid document: ${JSON.stringify(loaded.errors)}`);
        const doc = loaded.doc;
        const link = encodeDocumentForUrl(doc);
        expect(link).toMatch(/^[A-Za-z0-9_-]*$/);
        const back = decodeDocumentFromUrl(link);
        expect(back.ok).toBe(true);
        if (!back.ok) return;
        expect(back.doc).toEqual(doc);
        expect(serializeDocument(back.doc)).toBe(serializeDocument(doc));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
