// The node contract, checked over every registered node type: a new node file that leaves out any part (texts in
// both languages, message texts for every code it can emit, its Keras line, a build and a forward that agree, sane
// parameter declarations, tooltips that name real concepts) fails here, not when someone first uses it.
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_TYPES, nodeDef } from './registry';
import type { LocalizedText, NodeDef, Params, Shape } from './types';
import { checkParamValue, defaultParams } from '../graph/document';
import { GRAPH_MESSAGES, LANGS } from '../i18n/messages';
import { validParams } from '../testing/arbitraries';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const filled = (t: LocalizedText | undefined, what: string) => {
  for (const lang of LANGS) expect(t?.[lang]?.trim(), `${what} (${lang})`).toBeTruthy();
};
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Input shapes to try on a node: flat vectors, images, and what the defaults of the shipped nodes expect. */
const CANDIDATE_SHAPES: Shape[] = [[null, 8], [null, 784], [null, 6, 6, 3], [null, 28, 28, 1], [null, 2, 3], [null, 1]];
const candidateInputs = (def: NodeDef): Record<string, Shape>[] =>
  CANDIDATE_SHAPES.map((shape) => Object.fromEntries(def.inputs.map((s) => [s.key, shape])));
const noUpstream = { upstreamInputs: () => [] };
const layers = NODE_TYPES.filter((d) => d.category === 'layer');

describe('every node type', () => {
  it('is registered once, with a known category', () => {
    expect(new Set(NODE_TYPES.map((d) => d.type)).size).toBe(NODE_TYPES.length);
    for (const d of NODE_TYPES) {
      expect(['input', 'layer', 'loss', 'combiner']).toContain(d.category);
      expect(nodeDef(d.type)).toBe(d);
    }
  });

  it.each(NODE_TYPES.map((d) => [d.type, d] as const))('%s has title, summary, teaching text and socket labels in every language', (_t, d) => {
    filled(d.title, `${d.type} title`);
    filled(d.summary, `${d.type} summary`);
    filled(d.teach, `${d.type} teach`);
    for (const s of [...d.inputs, ...d.outputs]) filled(s.label, `${d.type} socket ${s.key}`);
    expect(new Set(d.inputs.map((s) => s.key)).size).toBe(d.inputs.length);
    expect(new Set(d.outputs.map((s) => s.key)).size).toBe(d.outputs.length);
    if (d.category === 'input') expect(d.inputs).toEqual([]);
    if (d.category === 'layer' || d.category === 'input') expect(d.outputs.length).toBeGreaterThan(0);
  });

  it.each(NODE_TYPES.map((d) => [d.type, d] as const))('%s declares sane parameters whose defaults pass their own checks', (_t, d) => {
    expect(new Set(d.params.map((p) => p.key)).size).toBe(d.params.length);
    for (const p of d.params) {
      filled(p.label, `${d.type}.${p.key} label`);
      if (p.help) filled(p.help, `${d.type}.${p.key} help`);
      expect(checkParamValue(p, p.default), `${d.type}.${p.key} default`).toBeNull();
      if (p.kind === 'int') expect(Number.isInteger(p.min) && Number.isInteger(p.max) && p.min <= p.max).toBe(true);
      if (p.kind === 'float') expect(Number.isFinite(p.min) && Number.isFinite(p.max) && p.min < p.max).toBe(true);
      if (p.kind === 'enum') expect(p.options.length > 0 && new Set(p.options).size === p.options.length).toBe(true);
      if (p.kind === 'shape') expect(1 <= p.minRank && p.minRank <= p.maxRank && p.maxDim >= 1).toBe(true);
    }
    expect(d.checkParams?.(defaultParams(d.type)) ?? []).toEqual([]);
  });

  it.each(NODE_TYPES.map((d) => [d.type, d] as const))('%s has text for each of its message codes in every language, placeholders alike', (_t, d) => {
    for (const [code, text] of Object.entries(d.messages)) {
      filled(text, `${d.type} message ${code}`);
      expect(placeholders(text.ko), `${code}: ko placeholders`).toEqual(placeholders(text.en));
      expect(GRAPH_MESSAGES.en[code], `${code} is also a graph-wide code`).toBeUndefined();
      for (const other of NODE_TYPES) if (other !== d) expect(other.messages[code], `${code} declared by ${other.type} too`).toBeUndefined();
    }
  });

  it.each(NODE_TYPES.map((d) => [d.type, d] as const))('%s emits only codes it (or the graph-wide list) declares, with every placeholder filled', (_t, d) => {
    fc.assert(
      fc.property(validParams(d.type), fc.constantFrom(...candidateInputs(d)), (params, inputs) => {
        const problems = [...(d.checkParams?.(params) ?? [])];
        const r = d.inferShape(inputs, params, noUpstream);
        if (!r.ok) problems.push(r.problem);
        for (const p of problems) {
          const text = d.messages[p.code] ?? (GRAPH_MESSAGES.en[p.code] ? { en: GRAPH_MESSAGES.en[p.code], ko: GRAPH_MESSAGES.ko[p.code] } : undefined);
          expect(text, `${d.type} emitted undeclared code ${p.code}`).toBeDefined();
          for (const lang of LANGS) for (const name of placeholders(text![lang])) expect(p.args?.[name], `${p.code}: {${name}}`).toBeDefined();
          if (p.socket) expect(d.inputs.map((s) => s.key)).toContain(p.socket);
          if (p.param) expect(d.params.map((x) => x.key)).toContain(p.param);
        }
        if (r.ok) expect(Object.keys(r.shapes).sort()).toEqual(d.outputs.map((s) => s.key).sort());
      }),
      { seed: 0x9e71, numRuns: 60 },
    );
  });

  it.each(NODE_TYPES.map((d) => [d.type, d] as const))('%s writes its Keras line for its default parameters', (_t, d) => {
    if (d.category === 'combiner') {
      // The combiner is the exported script's build_gan itself.
      expect(d.keras).toBeUndefined();
      return;
    }
    expect(d.keras, `${d.type}.keras`).toBeTypeOf('function');
    const line = d.keras!(defaultParams(d.type), { name: 'node_1' });
    expect(line).toMatch(/^(layers\.|keras\.)\w+(\.\w+)*\(.*\)$/);
    if (d.category !== 'loss') expect(line).toContain('name="node_1"');
  });

  it('refers only to concepts some node teaches, each with both languages', () => {
    const concepts = NODE_TYPES.flatMap((d) => d.concepts ?? []);
    const ids = concepts.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of concepts) for (const t of [c.title, c.short, c.body]) filled(t, `concept ${c.id}`);
    for (const d of NODE_TYPES) {
      const params: Params = defaultParams(d.type);
      const variants = [params, ...d.params.filter((p) => p.kind === 'enum').flatMap((p) => (p.kind === 'enum' ? p.options.map((o) => ({ ...params, [p.key]: o })) : []))];
      for (const v of variants) for (const id of d.tooltip?.(v) ?? []) expect(ids, `${d.type} tooltip`).toContain(id);
      for (const [key, list] of Object.entries(d.paramTooltips ?? {})) {
        expect(d.params.map((p) => p.key)).toContain(key);
        for (const id of list) expect(ids, `${d.type}.${key} tooltip`).toContain(id);
      }
    }
  });
});

/** Same-shaped random tensors for each input socket; an Embedding reads class indices, so it gets rows of its table. */
const randomInputs = (def: NodeDef, shapes: Record<string, Shape>, seed: number, params: Params) =>
  Object.fromEntries(
    def.inputs.map((s, i) => {
      const shape = [3, ...(shapes[s.key].slice(1) as number[])];
      return [s.key, def.type === 'Embedding' ? tf.randomUniform(shape, 0, params.inputDim as number, 'int32', seed + i) : tf.randomUniform(shape, -2, 2, 'float32', seed + i)];
    }),
  );

describe('every layer type', () => {
  it.each(layers.map((d) => [d.type, d] as const))('%s builds a layer whose apply, forward, shape rule and parameter count agree', (_t, def) => {
    expect(def.build, `${def.type}.build`).toBeTypeOf('function');
    expect(def.forward, `${def.type}.forward`).toBeTypeOf('function');
    let tried = 0;
    fc.assert(
      fc.property(validParams(def.type), fc.constantFrom(...candidateInputs(def)), fc.nat(), (params, shapes, seed) => {
        const r = def.inferShape(shapes, params, noUpstream);
        if (!r.ok) return;
        tried++;
        const before = tf.memory().numTensors;
        const layer = def.build!(params, { tf, name: `t${seed}_${tried}`, seed, inputShapes: shapes, inputShape: shapes[def.inputs[0].key] });
        const symbolic = def.inputs.map((s) => tf.input({ shape: shapes[s.key].slice(1) as number[] }));
        const out = layer.apply(symbolic.length === 1 ? symbolic[0] : symbolic) as tf.SymbolicTensor;
        expect(out.shape).toEqual(r.shapes[def.outputs[0].key]);
        // Random weights (positive, so a variance stays a variance): zero biases would hide a bias bug.
        tf.tidy(() => layer.weights.forEach((w, i) => w.write(tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', seed + 100 + i))));
        const weights = layer.weights.map((w) => w.read());
        expect(layer.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0)).toBe(def.paramCount(shapes, params));
        const inputs = randomInputs(def, shapes, seed, params);
        const list = def.inputs.map((s) => inputs[s.key]);
        for (const training of [false, true]) {
          const ctx = (s: number) => ({ tf, training, updateStats: false, seed: () => s, assignAfter: (v: tf.Variable, x: tf.Tensor) => v.assign(x) });
          const viaForward = tf.tidy(() => def.forward!(inputs, weights, params, ctx(1)) as tf.Tensor);
          // A forward that draws random numbers (dropout while training) gives another result for another seed: its
          // masks cannot match the layer's own, so only inference is compared there.
          const again = tf.tidy(() => def.forward!(inputs, weights, params, ctx(2)) as tf.Tensor);
          const random = !tf.tidy(() => tf.all(tf.equal(viaForward, again)).dataSync()[0] === 1);
          const viaLayer = tf.tidy(() => layer.apply(list.length === 1 ? list[0] : list, { training }) as tf.Tensor);
          expect(viaForward.shape).toEqual([3, ...(r.shapes[def.outputs[0].key].slice(1) as number[])]);
          if (!(training && random)) {
            // Relative to the output's size: the two paths may sum in another order.
            const diff = tf.tidy(() => tf.div(tf.max(tf.abs(tf.sub(viaForward, viaLayer))), tf.add(1, tf.max(tf.abs(viaLayer)))).dataSync()[0]);
            expect(diff, `${def.type} ${JSON.stringify(params)} training=${training}`).toBeLessThan(1e-5);
          }
          tf.dispose([viaForward, again, viaLayer]);
        }
        tf.dispose(Object.values(inputs));
        layer.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }),
      // The defaults on every candidate shape first: random valid parameters rarely fit some nodes (Reshape's target).
      { seed: 0x1a7e, numRuns: 12, examples: candidateInputs(def).map((shapes, i): [Params, Record<string, Shape>, number] => [defaultParams(def.type), shapes, i]) },
    );
    expect(tried, `${def.type}: no candidate input shape fits any parameters`).toBeGreaterThan(0);
  });
});
