// fast-check arbitraries for the fuzz tests: hostile JSON for the loader, and graph documents for the analyzer —
// random ones, and GAN-shaped ones (most of them valid) so that compile-and-count gets exercised too.
import fc from 'fast-check';
import { NODE_TYPES, nodeDef } from '../nodes/registry';
import type { ParamDef, ParamValue, Params } from '../nodes/types';
import { checkParamValue, DEFAULT_TRAINING, defaultParams, GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument, type GraphEdge, type GraphNode } from '../graph/document';

type Json = unknown;
type JsonObject = Record<string, Json>;

/** Keys that misbehave when assigned naively to a plain object. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'] as const;

/** Lone surrogates survive JSON but not naive UTF-8 encoding; mixed in with all of Unicode. */
const unicodeUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\u2028', '\u2029', '\ufeff', '"', '\\', '<', '한', '🎨', 'e\u0301') },
);
export const unicodeString = (maxLength = 40) => fc.string({ unit: unicodeUnit, maxLength });

const key = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 8 }), unicodeString(6));

/** Sets an own, enumerable property even for `__proto__` (plain assignment would change the prototype instead). */
function setOwn(obj: JsonObject, k: string, value: Json): void {
  Object.defineProperty(obj, k, { value, enumerable: true, writable: true, configurable: true });
}

function nested(depth: number, asArray: boolean, leaf: Json): Json {
  let v = leaf;
  for (let i = 0; i < depth; i++) {
    if (asArray) v = [v];
    else {
      const o: JsonObject = {};
      setOwn(o, 'a', v);
      v = o;
    }
  }
  return v;
}

/** Values that tend to break validators: wrong types, extreme numbers (NaN/Infinity as a JS caller could pass), deep and long data. */
export const nastyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<Json>(null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 5e-324, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '', '0', '1', 'true', '28x28x1', [], {}, [28, 28, 1], [[28]], { x: 1, y: 2 }),
  fc.constantFrom(...NODE_TYPES.map((d) => d.type), 'Conv2D', 'dense', ...PROTOTYPE_KEYS),
  unicodeString(),
  fc.integer({ min: 9_990, max: 100_000 }).map((n) => 'x'.repeat(n)),
  fc.tuple(fc.integer({ min: 50, max: 3_000 }), fc.boolean()).map(([d, arr]) => nested(d, arr, 1)),
  fc.array(fc.constantFrom<Json>(1, 0, -1, 1.5, '1', null), { maxLength: 6 }),
  fc.tuple(key, fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => {
    const o: JsonObject = {};
    setOwn(o, k, v);
    return o;
  }),
  // Objects whose own toString/valueOf are not functions: String(value) throws on them.
  fc.subarray([...PROTOTYPE_KEYS], { minLength: 1 }).chain((keys) =>
    fc.tuple(...keys.map(() => fc.jsonValue({ maxDepth: 1 }))).map((values) => {
      const o: JsonObject = {};
      keys.forEach((k, i) => setOwn(o, k, values[i]));
      return o;
    }),
  ),
);

/** Every path (list of keys/indices) to a value inside `root`, the root excluded. */
function pathsOf(root: Json): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: Json, path: (string | number)[], depth: number) => {
    if (depth > 8) return;
    if (Array.isArray(v)) v.forEach((c, i) => (out.push([...path, i]), walk(c, [...path, i], depth + 1)));
    else if (typeof v === 'object' && v !== null) for (const k of Object.keys(v)) out.push([...path, k]), walk((v as JsonObject)[k], [...path, k], depth + 1);
  };
  walk(root, [], 0);
  return out;
}

function parentOf(root: Json, path: (string | number)[]): Json {
  let v = root;
  for (const k of path.slice(0, -1)) v = (v as JsonObject)[k as string];
  return v;
}

export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'addField'; at: number; key: string; value: Json }
  | { op: 'swapEdgeEnds'; at: number }
  | { op: 'nodeType'; at: number; type: Json }
  | { op: 'setTop'; key: string; value: Json };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: nastyValue }) },
  fc.record({ op: fc.constant('addField' as const), at: fc.nat(), key, value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ op: fc.constant('swapEdgeEnds' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('nodeType' as const), at: fc.nat(), type: fc.oneof(fc.constantFrom(...NODE_TYPES.map((d) => d.type), 'Conv2D', '', '__proto__'), nastyValue) }),
  fc.record({ op: fc.constant('setTop' as const), key: fc.constantFrom('format', 'version', 'name', 'notes', 'nodes', 'edges', 'training', 'connections'), value: nastyValue }),
);

/** Applies mutations in place to a parsed document; paths are chosen by index modulo the current path count. */
export function applyMutations(root: JsonObject, mutations: Mutation[]): JsonObject {
  for (const m of mutations) {
    if (m.op === 'setTop') {
      setOwn(root, m.key, m.value);
      continue;
    }
    if (m.op === 'swapEdgeEnds' || m.op === 'nodeType') {
      const list = m.op === 'swapEdgeEnds' ? root.edges : root.nodes;
      if (!Array.isArray(list) || list.length === 0) continue;
      const item = list[m.at % list.length];
      if (typeof item !== 'object' || item === null) continue;
      const o = item as JsonObject;
      if (m.op === 'swapEdgeEnds') [o.from, o.to] = [o.to, o.from];
      else o.type = m.type;
      continue;
    }
    const paths = pathsOf(root);
    if (paths.length === 0) continue;
    const path = paths[m.at % paths.length];
    const parent = parentOf(root, path) as JsonObject | Json[];
    const last = path[path.length - 1];
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete (parent as JsonObject)[last as string];
    } else if (m.op === 'replace') {
      if (Array.isArray(parent)) parent[last as number] = m.value;
      else setOwn(parent as JsonObject, last as string, m.value);
    } else {
      const target = Array.isArray(parent) ? parent[last as number] : (parent as JsonObject)[last as string];
      if (typeof target === 'object' && target !== null && !Array.isArray(target)) setOwn(target as JsonObject, m.key, m.value);
    }
  }
  return root;
}

/** Edits on the file text, for what a parsed value cannot hold: overflowing literals, bare NaN, truncation, huge nesting. */
export type TextEdit =
  | { kind: 'number'; at: number; literal: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'deepNesting'; depth: number; open: string }
  | { kind: 'insert'; at: number; text: string };

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('number' as const), at: fc.nat(), literal: fc.constantFrom('1e999', '-1e999', 'NaN', 'Infinity', '-0', '1e-400', '9007199254740993', '0x10', '1_000', '.5', '01') }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('deepNesting' as const), depth: fc.integer({ min: 1_000, max: 200_000 }), open: fc.constantFrom('[', '{"a":') }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(',', '}', '"', '\u0000', '\ufeff', '/*', ' ', '"__proto__": {"x": 1},') }),
);

export function applyTextEdit(text: string, e: TextEdit): string {
  switch (e.kind) {
    case 'number': {
      const spots = [...text.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
      if (spots.length === 0) return text;
      const m = spots[e.at % spots.length];
      return text.slice(0, m.index) + e.literal + text.slice(m.index! + m[0].length);
    }
    case 'truncate':
      return text.slice(0, e.at % (text.length + 1));
    case 'deepNesting': {
      const close = e.open === '[' ? ']' : '}';
      // Put the nesting where a value is expected: as the notes.
      return text.replace(/^\{/, `{"notes": ${e.open.repeat(e.depth)}1${close.repeat(e.depth)},`);
    }
    case 'insert': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.text + text.slice(at);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Graph documents.

/** A value for one parameter: usually within its declared range, sometimes outside it or of the wrong type. */
export function paramValue(def: ParamDef, invalidWeight = 1): fc.Arbitrary<ParamValue | undefined> {
  let valid: fc.Arbitrary<ParamValue>;
  let invalid: fc.Arbitrary<unknown>;
  switch (def.kind) {
    case 'int':
      valid = fc.integer({ min: def.min, max: Math.min(def.max, def.min + 63) });
      invalid = fc.constantFrom(def.min - 1, def.max + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3', null);
      break;
    case 'float':
      valid = fc.double({ min: def.min, max: def.max, minExcluded: def.exclusiveMin === true, noNaN: true }).map((d) => d + 0);
      invalid = fc.constantFrom(def.min - 1, def.max * 2 + 1, Number.NaN, Number.NEGATIVE_INFINITY, '0.1', true, ...(def.exclusiveMin ? [def.min] : []));
      break;
    case 'enum':
      valid = fc.constantFrom(...def.options);
      invalid = fc.constantFrom('softmax', 'constructor', '', 1, null);
      break;
    case 'bool':
      valid = fc.boolean();
      invalid = fc.constantFrom('true', 0, 1, null);
      break;
    case 'shape':
      valid = fc.array(fc.integer({ min: 1, max: Math.min(def.maxDim, 64) }), { minLength: def.minRank, maxLength: def.maxRank });
      invalid = fc.constantFrom<unknown>([], [0], [1.5], [28, 28, -1], Array(def.maxRank + 1).fill(1), [def.maxDim + 1], '28x28x1', [null]);
      break;
  }
  return fc.oneof(
    { weight: 12, arbitrary: valid },
    { weight: invalidWeight, arbitrary: invalid as fc.Arbitrary<ParamValue | undefined> },
    // A missing value: analyzeGraph sees documents that did not come through the loader.
    { weight: invalidWeight > 0 ? 1 : 0, arbitrary: fc.constant(undefined) },
  );
}

function paramsFor(type: string, invalidWeight: number): fc.Arbitrary<Params> {
  const def = nodeDef(type)!;
  const entries = def.params.map((p) => paramValue(p, invalidWeight).map((v) => [p.key, v] as const));
  return fc.tuple(...entries).map((kv) => {
    const params: Params = {};
    for (const [k, v] of kv) if (v !== undefined) params[k] = v;
    return params;
  });
}

const position = fc.record({
  x: fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => d + 0),
  y: fc.integer({ min: -5000, max: 5000 }),
});

const idPrefix = fc.constantFrom('', 'n', 'a.', 'x-', '_', 'G');

/** Any node of any registered type, wired at random: mostly invalid graphs, every diagnostic path reachable. */
export const randomGraph: fc.Arbitrary<GraphDocument> = fc
  .record({
    prefix: idPrefix,
    nodes: fc.array(
      fc.constantFrom(...NODE_TYPES.map((d) => d.type)).chain((type) => fc.record({ type: fc.constant(type), params: paramsFor(type, 1), position })),
      { maxLength: 14 },
    ),
    edges: fc.array(
      fc.record({
        from: fc.nat(),
        fromSocket: fc.oneof({ weight: 9, arbitrary: fc.constant<string | null>(null) }, fc.constantFrom('out', 'in', 'pred', 'fake', 'z', '')),
        to: fc.nat(),
        toSocket: fc.oneof({ weight: 9, arbitrary: fc.constant<string | null>(null) }, fc.constantFrom('out', 'in', 'pred', 'critic', 'x')),
        dangling: fc.boolean().chain((b) => (b ? fc.constantFrom<string | null>(null, null, null, null, null, null, null, 'ghost') : fc.constant(null))),
      }),
      { maxLength: 20 },
    ),
  })
  .map(({ prefix, nodes, edges }) => {
    const doc = emptyDoc();
    doc.nodes = nodes.map((n, i) => ({ id: `${prefix}${i}`, type: n.type, params: n.params, position: n.position }));
    if (doc.nodes.length === 0) return doc;
    edges.forEach((e, i) => {
      const from = doc.nodes[e.from % doc.nodes.length];
      const to = doc.nodes[e.to % doc.nodes.length];
      const outs = nodeDef(from.type)!.outputs;
      const ins = nodeDef(to.type)!.inputs;
      const fromSocket = e.fromSocket ?? (outs.length > 0 ? outs[e.from % outs.length].key : 'out');
      const toSocket = e.toSocket ?? (ins.length > 0 ? ins[e.to % ins.length].key : 'in');
      doc.edges.push({ id: `e${i}`, from: { node: from.id, socket: fromSocket }, to: { node: e.dangling ?? to.id, socket: toSocket } });
    });
    return doc;
  });

function emptyDoc(): GraphDocument {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, name: 'fuzz', nodes: [], edges: [], training: { ...DEFAULT_TRAINING } };
}

/** A value within a parameter's declared range (small where the range is large, so compiled models stay cheap). */
export const validParamValue = (def: ParamDef): fc.Arbitrary<ParamValue> => {
  switch (def.kind) {
    case 'int':
      return fc.integer({ min: def.min, max: Math.min(def.max, def.min + 63) });
    case 'float':
      return fc.double({ min: def.min, max: def.max, minExcluded: def.exclusiveMin === true, noNaN: true }).map((d) => d + 0);
    case 'enum':
      return fc.constantFrom(...def.options);
    case 'bool':
      return fc.boolean();
    case 'shape':
      return fc.array(fc.integer({ min: 1, max: Math.min(def.maxDim, 64) }), { minLength: def.minRank, maxLength: def.maxRank });
  }
};

/** Valid parameters for a node type, derived from its parameter definitions. */
export const validParams = (type: string): fc.Arbitrary<Params> => {
  const defs = nodeDef(type)!.params;
  return fc.tuple(...defs.map(validParamValue)).map((values) => Object.fromEntries(defs.map((p, i) => [p.key, values[i]])) as Params);
};

/** One layer inside G or D: any registered layer type, with valid parameters derived from its definitions. */
type LayerSpec = { type: string; params: Params };

const LAYER_TYPES = NODE_TYPES.filter((d) => d.category === 'layer').map((d) => d.type);
const hiddenLayer: fc.Arbitrary<LayerSpec> = fc.constantFrom(...LAYER_TYPES).chain((type) => validParams(type).map((params) => ({ type, params })));
const layer = (type: string, params: Params = {}): LayerSpec => ({ type, params: { ...defaultParams(type), ...params } });

/** Structural edits that often (not always) break a GAN; `at` picks the target modulo the current count. */
export type GraphEdit =
  | { op: 'param'; at: number; pick: number; value: unknown }
  | { op: 'removeNode'; at: number; bridge: boolean }
  | { op: 'removeEdge'; at: number }
  | { op: 'rewire'; at: number; to: number }
  | { op: 'insert'; at: number; layer: LayerSpec }
  | { op: 'addNode'; type: string; connectFrom: number | null }
  | { op: 'swapEnds'; at: number };

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  // Values each registered parameter declares (valid or not), plus hand-picked troublemakers.
  ...NODE_TYPES.flatMap((d) => d.params.map((p) => paramValue(p, 1) as fc.Arbitrary<unknown>)),
  fc.integer({ min: -2, max: 1000 }),
  fc.double({ min: -1, max: 2, noNaN: true }),
  fc.constantFrom<unknown>(Number.NaN, 'softmax', 'tanh', 'sigmoid', true, false, [784], [28, 28, 1], [28, 28, 3], [1, 784], [14, 56, 1], 1e-7, 0.999999, 1e38),
);

export const graphEdit: fc.Arbitrary<GraphEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('param' as const), at: fc.nat(), pick: fc.nat(), value: anyValue }) },
  fc.record({ op: fc.constant('removeNode' as const), at: fc.nat(), bridge: fc.boolean() }),
  fc.record({ op: fc.constant('removeEdge' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('rewire' as const), at: fc.nat(), to: fc.nat() }),
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      at: fc.nat(),
      layer: fc.oneof(hiddenLayer, fc.constantFrom<number[]>([784], [28, 28, 1], [7, 7, 16], [4, 32], [1, 1, 1, 784]).map((d) => layer('Reshape', { targetShape: [...d] }))),
    }),
  },
  fc.record({ op: fc.constant('addNode' as const), type: fc.constantFrom(...NODE_TYPES.map((d) => d.type)), connectFrom: fc.option(fc.nat()) }),
  fc.record({ op: fc.constant('swapEnds' as const), at: fc.nat() }),
);

export interface GanSpec {
  prefix: string;
  zSize: number;
  gHidden: LayerSpec[];
  /** How G reaches 28×28×1 from its last Dense 784. */
  gTail: 'reshape' | 'reshapeTwice' | 'lreluThenReshape';
  dHead: 'flatten' | 'reshape784';
  dHidden: LayerSpec[];
  dSigmoid: boolean;
  dLoss: Params;
  gLoss: Params;
  edits: GraphEdit[];
}

const lossParams = fc
  .record({
    learningRate: fc.double({ min: 1e-6, max: 0.1, noNaN: true }),
    beta1: fc.double({ min: 0, max: 0.9, noNaN: true }).map((d) => d + 0),
    beta2: fc.double({ min: 0.9, max: 0.99999, noNaN: true }),
    epsilon: fc.double({ min: 1e-9, max: 1e-3, noNaN: true }),
  })
  .map((p) => p as Params);

export const ganSpec: fc.Arbitrary<GanSpec> = fc.record({
  prefix: idPrefix,
  zSize: fc.integer({ min: 1, max: 64 }),
  gHidden: fc.array(hiddenLayer, { maxLength: 3 }),
  gTail: fc.constantFrom('reshape' as const, 'reshapeTwice' as const, 'lreluThenReshape' as const),
  dHead: fc.constantFrom('flatten' as const, 'reshape784' as const),
  dHidden: fc.array(hiddenLayer, { maxLength: 3 }),
  dSigmoid: fc.boolean(),
  dLoss: lossParams,
  gLoss: lossParams,
  // Half the documents are the plain GAN; the rest get one to three edits.
  edits: fc.oneof(fc.constant<GraphEdit[]>([]), fc.array(graphEdit, { minLength: 1, maxLength: 3 })),
});

const layerNode = (id: string, layer: LayerSpec): GraphNode => ({ id, type: layer.type, params: { ...defaultParams(layer.type), ...layer.params }, position: { x: 0, y: 0 } });
/** The input sockets of a layer type: a multi-input layer placed on one edge reads the same tensor on each (a branch and a join). */
const inputSockets = (type: string): string[] => nodeDef(type)!.inputs.map((s) => s.key);

/** Builds the GAN a spec describes, then applies its edits. */
export function buildGan(spec: GanSpec): GraphDocument {
  const doc = emptyDoc();
  const p = spec.prefix;
  let n = 0;
  let e = 0;
  const add = (node: GraphNode) => (doc.nodes.push(node), node.id);
  const link = (from: string, to: string, fromSocket = 'out', toSocket = 'in') =>
    doc.edges.push({ id: `e${e++}`, from: { node: from, socket: fromSocket }, to: { node: to, socket: toSocket } });
  const chain = (start: string, layers: LayerSpec[], tag: string) => {
    let last = start;
    for (const l of layers) {
      const id = add(layerNode(`${p}${tag}${n++}`, l));
      for (const socket of inputSockets(l.type)) link(last, id, 'out', socket);
      last = id;
    }
    return last;
  };
  const z = add({ id: `${p}z`, type: 'NoiseInput', params: { size: spec.zSize }, position: { x: 0, y: 0 } });
  const out784 = layer('Dense', { units: 784, activation: 'tanh', useBias: true });
  const image = layer('Reshape', { targetShape: [28, 28, 1] });
  const tail =
    spec.gTail === 'reshape'
      ? [out784, image]
      : spec.gTail === 'reshapeTwice'
        ? [out784, layer('Reshape', { targetShape: [784] }), image]
        : [out784, layer('LeakyReLU', { alpha: 0.2 }), image];
  const gOut = chain(z, [...spec.gHidden, ...tail], 'g');
  const img = add({ id: `${p}img`, type: 'ImageInput', params: defaultParams('ImageInput'), position: { x: 0, y: 0 } });
  const head = spec.dHead === 'flatten' ? layer('Flatten') : layer('Reshape', { targetShape: [784] });
  const dOut = chain(img, [head, ...spec.dHidden, layer('Dense', { units: 1, activation: spec.dSigmoid ? 'sigmoid' : 'none', useBias: true })], 'd');
  const comb = add({ id: `${p}gan`, type: 'FreezingCombiner', params: defaultParams('FreezingCombiner'), position: { x: 0, y: 0 } });
  const dLoss = add({ id: `${p}dloss`, type: 'BCELoss', params: spec.dLoss, position: { x: 0, y: 0 } });
  const gLoss = add({ id: `${p}gloss`, type: 'BCELoss', params: spec.gLoss, position: { x: 0, y: 0 } });
  link(gOut, comb, 'out', 'fake');
  link(dOut, comb, 'out', 'critic');
  link(dOut, dLoss, 'out', 'pred');
  link(comb, gLoss, 'out', 'pred');
  for (const edit of spec.edits) applyGraphEdit(doc, edit, () => `${p}m${n++}`, () => `e${e++}`);
  return doc;
}

function applyGraphEdit(doc: GraphDocument, edit: GraphEdit, newNodeId: () => string, newEdgeId: () => string): void {
  const nodes = doc.nodes;
  const edges = doc.edges;
  switch (edit.op) {
    case 'param': {
      const withParams = nodes.filter((x) => (nodeDef(x.type)?.params.length ?? 0) > 0);
      if (withParams.length === 0) return;
      const node = withParams[edit.at % withParams.length];
      const defs = nodeDef(node.type)!.params;
      node.params[defs[edit.pick % defs.length].key] = edit.value as ParamValue;
      return;
    }
    case 'removeNode': {
      if (nodes.length === 0) return;
      const id = nodes[edit.at % nodes.length].id;
      const into = edges.find((x) => x.to.node === id);
      const outOf = edges.filter((x) => x.from.node === id);
      doc.nodes = nodes.filter((x) => x.id !== id);
      doc.edges = edges.filter((x) => x.from.node !== id && x.to.node !== id);
      // Bridging keeps the chain connected, as a person deleting a middle layer would.
      if (edit.bridge && into) for (const o of outOf) doc.edges.push({ id: newEdgeId(), from: { ...into.from }, to: { ...o.to } });
      return;
    }
    case 'removeEdge':
      if (edges.length > 0) edges.splice(edit.at % edges.length, 1);
      return;
    case 'rewire': {
      const withOut = nodes.filter((x) => (nodeDef(x.type)?.outputs.length ?? 0) > 0);
      if (edges.length === 0 || withOut.length === 0) return;
      edges[edit.at % edges.length].from = { node: withOut[edit.to % withOut.length].id, socket: 'out' };
      return;
    }
    case 'swapEnds': {
      if (edges.length === 0) return;
      const x: GraphEdge = edges[edit.at % edges.length];
      [x.from, x.to] = [x.to, x.from];
      return;
    }
    case 'insert': {
      // Splices a layer into an existing edge: A → B becomes A → new → B.
      if (edges.length === 0) return;
      const x = edges[edit.at % edges.length];
      const id = newNodeId();
      nodes.push(layerNode(id, edit.layer));
      edges.push({ id: newEdgeId(), from: { node: id, socket: 'out' }, to: { ...x.to } });
      const [first, ...more] = inputSockets(edit.layer.type);
      x.to = { node: id, socket: first };
      for (const socket of more) edges.push({ id: newEdgeId(), from: { ...x.from }, to: { node: id, socket } });
      return;
    }
    case 'addNode': {
      const id = newNodeId();
      nodes.push({ id, type: edit.type, params: defaultParams(edit.type), position: { x: 0, y: 0 } });
      const def = nodeDef(edit.type)!;
      const sources = nodes.filter((x) => x.id !== id && (nodeDef(x.type)?.outputs.length ?? 0) > 0);
      if (edit.connectFrom !== null && def.inputs.length > 0 && sources.length > 0) {
        edges.push({ id: newEdgeId(), from: { node: sources[edit.connectFrom % sources.length].id, socket: 'out' }, to: { node: id, socket: def.inputs[0].key } });
      }
      return;
    }
  }
}

/** Mostly GAN-shaped documents (so a good share are valid), the rest wired at random. */
export const graphDocument: fc.Arbitrary<GraphDocument> = fc.oneof({ weight: 3, arbitrary: ganSpec.map(buildGan) }, { weight: 1, arbitrary: randomGraph });

/** Documents that pass the loader's schema, with text fields that stress encoding (for the URL round trip). */
export const schemaValidDocument: fc.Arbitrary<GraphDocument> = fc
  .record({
    base: fc.oneof(ganSpec.map(buildGan), randomGraph),
    name: fc.oneof(unicodeString(60), fc.constant('x'.repeat(10_000))),
    notes: fc.option(unicodeString(200), { nil: undefined }),
    labels: fc.array(fc.option(unicodeString(30), { nil: undefined }), { maxLength: 20 }),
    training: fc.record({
      iterations: fc.integer({ min: 1, max: 10_000_000 }),
      batchSize: fc.integer({ min: 1, max: 4096 }),
      sampleInterval: fc.integer({ min: 1, max: 10_000_000 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    }),
  })
  .map(({ base, name, notes, labels, training }) => {
    const doc: GraphDocument = { ...base, name, ...(notes !== undefined ? { notes } : {}), training };
    // The loader refuses edges to missing nodes (random graphs make some on purpose).
    const ids = new Set(doc.nodes.map((n) => n.id));
    doc.edges = doc.edges.filter((e) => ids.has(e.from.node) && ids.has(e.to.node));
    doc.nodes = doc.nodes.map((node, i) => {
      // Only schema-valid values: replace anything the edits or the random graph made invalid by the default.
      const params: Params = {};
      for (const p of nodeDef(node.type)!.params) {
        const v = node.params[p.key];
        params[p.key] = checkParamValue(p, v) === null ? v : defaultParams(node.type)[p.key];
      }
      const label = labels[i];
      return { ...node, params, ...(label !== undefined ? { label } : {}) };
    });
    return doc;
  });
