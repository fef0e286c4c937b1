// The graph document: plain JSON, versioned, the one source of truth for the editor, presets, runner and tests.
import { nodeDef } from '../nodes/registry';
import type { ParamDef, ParamValue, Params, Problem } from '../nodes/types';

export const GRAPH_FORMAT = 'ganvas-graph';
export const GRAPH_VERSION = 1;

export interface Point {
  x: number;
  y: number;
}
export interface GraphNode {
  id: string;
  type: string;
  params: Params;
  position: Point;
  /** Free text a person may give a node; always rendered as text. */
  label?: string;
}
export interface SocketRef {
  node: string;
  socket: string;
}
export interface GraphEdge {
  id: string;
  from: SocketRef;
  to: SocketRef;
}
export interface TrainingSettings {
  iterations: number;
  batchSize: number;
  sampleInterval: number;
  seed: number;
}
export interface GraphDocument {
  format: typeof GRAPH_FORMAT;
  version: typeof GRAPH_VERSION;
  name: string;
  notes?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  training: TrainingSettings & SampleSettings;
}

/** What the sample grids show. */
export interface SampleSettings {
  /** A conditional GAN's grid: the digits to show, in order (absent: every class, the book's 0–9). */
  sampleLabels?: number[];
}

/** At most this many digits asked for in one grid. */
export const MAX_SAMPLE_LABELS = 100;

export const DEFAULT_TRAINING: TrainingSettings = { iterations: 20000, batchSize: 128, sampleInterval: 1000, seed: 42 };

export const TRAINING_LIMITS: Record<keyof TrainingSettings, { min: number; max: number }> = {
  iterations: { min: 1, max: 10_000_000 },
  batchSize: { min: 1, max: 4096 },
  sampleInterval: { min: 1, max: 10_000_000 },
  seed: { min: 0, max: 2 ** 31 - 1 },
};

export function emptyDocument(name = 'Untitled GAN'): GraphDocument {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, name, nodes: [], edges: [], training: { ...DEFAULT_TRAINING } };
}

export function defaultParams(type: string): Params {
  const def = nodeDef(type);
  const params: Params = {};
  for (const p of def?.params ?? []) params[p.key] = Array.isArray(p.default) ? [...p.default] : p.default;
  return params;
}

/** Checks one parameter value against its declaration; returns the problem or null. */
export function checkParamValue(def: ParamDef, value: unknown): Problem | null {
  const where = { param: def.key };
  switch (def.kind) {
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return { code: 'param.notInteger', args: { param: def.key }, ...where };
      if (value < def.min || value > def.max) return { code: 'param.range', args: { param: def.key, min: def.min, max: def.max }, ...where };
      return null;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'param.notNumber', args: { param: def.key }, ...where };
      if (value < def.min || value > def.max || (def.exclusiveMin && value === def.min)) {
        return { code: def.exclusiveMin ? 'param.rangeExclusive' : 'param.range', args: { param: def.key, min: def.min, max: def.max }, ...where };
      }
      return null;
    case 'enum':
      if (typeof value !== 'string' || !(def.options.includes(value) || def.accepts?.(value))) return { code: 'param.option', args: { param: def.key, options: def.options.join(', ') }, ...where };
      return null;
    case 'bool':
      if (typeof value !== 'boolean') return { code: 'param.notBoolean', args: { param: def.key }, ...where };
      return null;
    case 'shape':
      if (!Array.isArray(value) || value.length < def.minRank || value.length > def.maxRank || !value.every((d) => Number.isInteger(d) && d >= 1 && d <= def.maxDim)) {
        return { code: 'param.shape', args: { param: def.key, minRank: def.minRank, maxRank: def.maxRank, maxDim: def.maxDim }, ...where };
      }
      return null;
  }
}

/** Parses `28x28x1`, `28×28×1`, `28, 28, 1` or `[28,28,1]` into dimensions; NaN entries signal a typo. */
export function parseShapeText(text: string): number[] {
  const parts = text.replace(/[[\]()]/g, '').split(/[x×,\s]+/).filter((s) => s.length > 0);
  return parts.map((s) => (/^\d+$/.test(s) ? Number(s) : Number.NaN));
}

export function cloneDocument<T>(doc: T): T {
  return JSON.parse(JSON.stringify(doc)) as T;
}

/** A location in a document, for load errors: `nodes[3] "g_dense1" params.units`. */
export interface LoadError {
  path: string;
  code: string;
  args?: Record<string, string | number>;
}
export type DecodeResult = { ok: true; doc: GraphDocument; migratedFrom?: number } | { ok: false; errors: LoadError[] };

const MAX_NODES = 500;
const MAX_TEXT = 10_000;

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** String() for error messages; JSON such as {"toString": 1} makes String() itself throw. */
const shown = (v: Json): string => {
  try {
    return String(v);
  } catch {
    return typeof v;
  }
};

/** Version 0 (pre-release) stored `connections` with `source/sourceOutput/target/targetInput` and no training block. */
function migrate(raw: Record<string, Json>): { raw: Record<string, Json>; from?: number } {
  if (raw.version === 0) {
    const conns = Array.isArray(raw.connections) ? raw.connections : [];
    const edges = conns.map((c, i) =>
      isObj(c) ? { id: typeof c.id === 'string' ? c.id : `e${i}`, from: { node: c.source, socket: c.sourceOutput }, to: { node: c.target, socket: c.targetInput } } : c,
    );
    const { connections: _dropped, ...rest } = raw;
    return { raw: { ...rest, version: 1, edges, training: raw.training ?? { ...DEFAULT_TRAINING } }, from: 0 };
  }
  return { raw };
}

/**
 * Validates untrusted JSON (a file, autosave, URL or preset) into a document. Never throws; on failure returns every
 * error found, each naming the node and field, and the caller keeps its current graph.
 */
export function decodeDocument(input: Json): DecodeResult {
  const errors: LoadError[] = [];
  if (!isObj(input)) return { ok: false, errors: [{ path: '(root)', code: 'load.notObject' }] };
  if (input.format !== GRAPH_FORMAT) return { ok: false, errors: [{ path: 'format', code: 'load.notGanvas' }] };
  if (typeof input.version !== 'number' || !Number.isInteger(input.version)) return { ok: false, errors: [{ path: 'version', code: 'load.noVersion' }] };
  if (input.version > GRAPH_VERSION || input.version < 0) {
    return { ok: false, errors: [{ path: 'version', code: 'load.unknownVersion', args: { version: input.version, supported: GRAPH_VERSION } }] };
  }
  const { raw, from } = migrate(input);

  const text = (v: Json, path: string, optional: boolean): string | undefined => {
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string') errors.push({ path, code: 'load.notString' });
    else if (v.length > MAX_TEXT) errors.push({ path, code: 'load.tooLong', args: { max: MAX_TEXT } });
    else return v;
    return undefined;
  };
  const name = text(raw.name ?? 'Untitled GAN', 'name', false) ?? '';
  const notes = text(raw.notes, 'notes', true);

  const nodes: GraphNode[] = [];
  const ids = new Set<string>();
  if (!Array.isArray(raw.nodes)) errors.push({ path: 'nodes', code: 'load.notArray' });
  else if (raw.nodes.length > MAX_NODES) errors.push({ path: 'nodes', code: 'load.tooMany', args: { max: MAX_NODES } });
  else {
    raw.nodes.forEach((n, i) => {
      const at = `nodes[${i}]`;
      if (!isObj(n)) return void errors.push({ path: at, code: 'load.notObject' });
      const id = typeof n.id === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(n.id) ? n.id : undefined;
      if (!id) return void errors.push({ path: `${at}.id`, code: 'load.badId' });
      const named = `${at} "${id}"`;
      if (ids.has(id)) return void errors.push({ path: `${named}.id`, code: 'load.duplicateId', args: { id } });
      ids.add(id);
      const def = typeof n.type === 'string' ? nodeDef(n.type) : undefined;
      if (!def) return void errors.push({ path: `${named}.type`, code: 'load.unknownType', args: { type: shown(n.type) } });
      const params: Params = {};
      const rawParams = n.params === undefined ? {} : n.params;
      if (!isObj(rawParams)) return void errors.push({ path: `${named}.params`, code: 'load.notObject' });
      for (const key of Object.keys(rawParams)) {
        if (!def.params.some((p) => p.key === key)) errors.push({ path: `${named}.params.${key}`, code: 'load.unknownParam', args: { param: key, type: def.type } });
      }
      for (const p of def.params) {
        const value = rawParams[p.key] === undefined ? p.default : rawParams[p.key];
        const problem = checkParamValue(p, value);
        if (problem) errors.push({ path: `${named}.params.${p.key}`, code: problem.code, args: problem.args });
        else params[p.key] = (Array.isArray(value) ? [...value] : value) as ParamValue;
      }
      const pos = n.position;
      const position = isObj(pos) && Number.isFinite(pos.x) && Number.isFinite(pos.y) ? { x: pos.x as number, y: pos.y as number } : undefined;
      if (!position) errors.push({ path: `${named}.position`, code: 'load.badPosition' });
      const label = text(n.label, `${named}.label`, true);
      nodes.push({ id, type: def.type, params, position: position ?? { x: 0, y: 0 }, ...(label !== undefined ? { label } : {}) });
    });
  }

  const edges: GraphEdge[] = [];
  const edgeIds = new Set<string>();
  if (!Array.isArray(raw.edges)) errors.push({ path: 'edges', code: 'load.notArray' });
  else if (raw.edges.length > MAX_NODES * 4) errors.push({ path: 'edges', code: 'load.tooMany', args: { max: MAX_NODES * 4 } });
  else {
    raw.edges.forEach((e, i) => {
      const at = `edges[${i}]`;
      if (!isObj(e) || !isObj(e.from) || !isObj(e.to)) return void errors.push({ path: at, code: 'load.badEdge' });
      const id = typeof e.id === 'string' && e.id.length > 0 && e.id.length <= 128 ? e.id : undefined;
      if (!id) return void errors.push({ path: `${at}.id`, code: 'load.badId' });
      if (edgeIds.has(id)) return void errors.push({ path: `${at}.id`, code: 'load.duplicateId', args: { id } });
      edgeIds.add(id);
      const ref = (r: Record<string, Json>, end: 'from' | 'to'): SocketRef | undefined => {
        if (typeof r.node !== 'string' || typeof r.socket !== 'string') return void errors.push({ path: `${at}.${end}`, code: 'load.badEdge' });
        if (!ids.has(r.node)) return void errors.push({ path: `${at}.${end}.node`, code: 'load.edgeUnknownNode', args: { node: r.node } });
        return { node: r.node, socket: r.socket };
      };
      const fromRef = ref(e.from, 'from');
      const toRef = ref(e.to, 'to');
      if (fromRef && toRef) edges.push({ id, from: fromRef, to: toRef });
    });
  }

  const training: TrainingSettings & SampleSettings = { ...DEFAULT_TRAINING };
  if (raw.training !== undefined) {
    if (!isObj(raw.training)) errors.push({ path: 'training', code: 'load.notObject' });
    else {
      const labels = raw.training.sampleLabels;
      if (labels !== undefined) {
        // Whole numbers 0…999, each once; whether they fit the label input's classes is the analysis's check.
        const ok = Array.isArray(labels) && labels.length >= 1 && labels.length <= MAX_SAMPLE_LABELS && labels.every((l) => Number.isInteger(l) && l >= 0 && l <= 999) && new Set(labels).size === labels.length;
        if (!ok) errors.push({ path: 'training.sampleLabels', code: 'load.sampleLabels', args: { max: MAX_SAMPLE_LABELS } });
        else training.sampleLabels = [...(labels as number[])];
      }
      for (const key of Object.keys(TRAINING_LIMITS) as (keyof TrainingSettings)[]) {
        const v = raw.training[key];
        if (v === undefined) continue;
        const { min, max } = TRAINING_LIMITS[key];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) errors.push({ path: `training.${key}`, code: 'param.range', args: { param: key, min, max } });
        else training[key] = v;
      }
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  const doc: GraphDocument = { format: GRAPH_FORMAT, version: GRAPH_VERSION, name, ...(notes !== undefined ? { notes } : {}), nodes, edges, training };
  return from === undefined ? { ok: true, doc } : { ok: true, doc, migratedFrom: from };
}

/** Parses file text; JSON syntax errors become a load error rather than an exception. */
export function parseDocument(text: string): DecodeResult {
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [{ path: '(file)', code: 'load.notJson', args: { detail: (e as Error).message } }] };
  }
  return decodeDocument(json);
}

export function serializeDocument(doc: GraphDocument): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

// URL form: base64url of the JSON, compact and safe in a fragment (`#graph=…`).
export function encodeDocumentForUrl(doc: GraphDocument): string {
  const bytes = new TextEncoder().encode(JSON.stringify(doc));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeDocumentFromUrl(text: string): DecodeResult {
  let json: string;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    json = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return { ok: false, errors: [{ path: '(link)', code: 'load.badLink' }] };
  }
  return parseDocument(json);
}
