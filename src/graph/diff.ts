// What changed between two graph documents, in words a learner reads when comparing runs: "g_dense1: units 128 → 256",
// "added BatchNormalization after g_dense1", "training: batch size 64 → 128". Nodes are matched by id (the editor keeps
// ids stable across edits); positions, notes and the document's name are layout, not the model, so they are ignored.
// Pure: no UI, no tfjs; parameter and node names come from the node registry in the reader's language.
import { nodeDef } from '../nodes/registry';
import type { ParamValue } from '../nodes/types';
import { t, type Lang } from '../i18n/ui';
import type { GraphDocument, GraphEdge, GraphNode } from './document';

export type TrainingKey = 'iterations' | 'batchSize' | 'sampleInterval' | 'seed' | 'sampleLabels';
type Value = ParamValue | null;

export type GraphChange =
  | { kind: 'param'; node: string; type: string; param: string; from: Value; to: Value }
  | { kind: 'added'; node: string; type: string; after: string | null }
  | { kind: 'removed'; node: string; type: string; after: string | null }
  | { kind: 'type'; node: string; from: string; to: string }
  | { kind: 'label'; node: string; from: string; to: string }
  | { kind: 'rewired'; node: string; socket: string; from: string; to: string }
  | { kind: 'connected'; from: string; to: string }
  | { kind: 'disconnected'; from: string; to: string }
  | { kind: 'training'; setting: TrainingKey; from: Value; to: Value };

const TRAINING_KEYS: readonly TrainingKey[] = ['iterations', 'batchSize', 'sampleInterval', 'seed', 'sampleLabels'];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const end = (node: string, socket: string) => `${node}.${socket}`;
const edgeKey = (e: GraphEdge) => `${end(e.from.node, e.from.socket)}>${end(e.to.node, e.to.socket)}`;

/** The node feeding `id`'s first connected input (by the node type's socket order), if any. */
function predecessor(doc: GraphDocument, node: GraphNode): string | null {
  const into = doc.edges.filter((e) => e.to.node === node.id);
  if (into.length === 0) return null;
  const order = nodeDef(node.type)?.inputs.map((s) => s.key) ?? [];
  const rank = (e: GraphEdge) => (order.includes(e.to.socket) ? order.indexOf(e.to.socket) : order.length);
  return [...into].sort((a, b) => rank(a) - rank(b))[0].from.node;
}

/** Whether `doc` links e's source to e's target socket through one or more of the nodes in `via` only. */
function linkedThrough(doc: GraphDocument, e: GraphEdge, via: Set<string>): boolean {
  const seen = new Set<string>();
  const frontier = doc.edges.filter((x) => x.from.node === e.from.node && x.from.socket === e.from.socket && via.has(x.to.node)).map((x) => x.to.node);
  while (frontier.length > 0) {
    const n = frontier.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const x of doc.edges) {
      if (x.from.node !== n) continue;
      if (x.to.node === e.to.node && x.to.socket === e.to.socket) return true;
      if (via.has(x.to.node)) frontier.push(x.to.node);
    }
  }
  return false;
}

/** Every change that turns `a` into `b`, in a stable order: nodes (in b's order, removed ones last), wiring, training. */
export function diffDocuments(a: GraphDocument, b: GraphDocument): GraphChange[] {
  const out: GraphChange[] = [];
  const inA = new Map(a.nodes.map((n) => [n.id, n]));
  const inB = new Map(b.nodes.map((n) => [n.id, n]));
  // Nodes whose type changed count as replaced: their wiring is explained by that, like an added or removed node's.
  const replaced = new Set<string>();

  for (const nb of b.nodes) {
    const na = inA.get(nb.id);
    if (!na) {
      out.push({ kind: 'added', node: nb.id, type: nb.type, after: predecessor(b, nb) });
      continue;
    }
    if (na.type !== nb.type) {
      replaced.add(nb.id);
      out.push({ kind: 'type', node: nb.id, from: na.type, to: nb.type });
      continue;
    }
    if ((na.label ?? '') !== (nb.label ?? '')) out.push({ kind: 'label', node: nb.id, from: na.label ?? '', to: nb.label ?? '' });
    // Declared parameters first (in the node type's order), then any others the documents carry.
    const declared = nodeDef(nb.type)?.params.map((p) => p.key) ?? [];
    const keys = [...new Set([...declared, ...Object.keys(na.params), ...Object.keys(nb.params)])];
    for (const param of keys) {
      const from = na.params[param] ?? null;
      const to = nb.params[param] ?? null;
      if (!same(from, to)) out.push({ kind: 'param', node: nb.id, type: nb.type, param, from, to });
    }
  }
  for (const na of a.nodes) if (!inB.has(na.id)) out.push({ kind: 'removed', node: na.id, type: na.type, after: predecessor(a, na) });

  // Wiring between nodes both documents keep (an added or removed node's edges are part of that change).
  const kept = (e: GraphEdge) => inA.has(e.from.node) && inB.has(e.from.node) && inA.has(e.to.node) && inB.has(e.to.node) && !replaced.has(e.from.node) && !replaced.has(e.to.node);
  const keysA = new Set(a.edges.filter(kept).map(edgeKey));
  const keysB = new Set(b.edges.filter(kept).map(edgeKey));
  // An edge that now runs through added nodes (X → new BatchNorm → Y) is that insertion, and one that used to run
  // through removed nodes is that removal: neither is a wiring change of its own.
  const added = new Set(b.nodes.filter((n) => !inA.has(n.id)).map((n) => n.id));
  const removed = new Set(a.nodes.filter((n) => !inB.has(n.id)).map((n) => n.id));
  const gone = a.edges.filter((e) => kept(e) && !keysB.has(edgeKey(e)) && !linkedThrough(b, e, added));
  const come = b.edges.filter((e) => kept(e) && !keysA.has(edgeKey(e)) && !linkedThrough(a, e, removed));
  for (const e of come) {
    const target = end(e.to.node, e.to.socket);
    const i = gone.findIndex((g) => end(g.to.node, g.to.socket) === target);
    if (i >= 0) {
      const [g] = gone.splice(i, 1);
      out.push({ kind: 'rewired', node: e.to.node, socket: e.to.socket, from: g.from.node, to: e.from.node });
    } else out.push({ kind: 'connected', from: end(e.from.node, e.from.socket), to: target });
  }
  for (const g of gone) out.push({ kind: 'disconnected', from: end(g.from.node, g.from.socket), to: end(g.to.node, g.to.socket) });

  for (const setting of TRAINING_KEYS) {
    const from = a.training[setting] ?? null;
    const to = b.training[setting] ?? null;
    if (!same(from, to)) out.push({ kind: 'training', setting, from, to });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// In words

const TRAINING_LABEL: Record<TrainingKey, string> = {
  iterations: 'training.iterations',
  batchSize: 'training.batchSize',
  sampleInterval: 'training.sampleInterval',
  seed: 'diff.seed',
  sampleLabels: 'diff.sampleLabels',
};

/** English labels read as words inside a sentence ("batch size"); an acronym or a name ("D", "BCE") stays as written. */
const inSentence = (label: string, lang: Lang) => (lang === 'en' && /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label);

function formatValue(v: Value, lang: Lang): string {
  if (v === null) return t('diff.unset', {}, lang);
  if (typeof v === 'boolean') return t(v ? 'diff.on' : 'diff.off', {}, lang);
  if (Array.isArray(v)) return v.join('×');
  return typeof v === 'number' ? String(v) : v;
}

const typeTitle = (type: string, lang: Lang) => nodeDef(type)?.title[lang] ?? type;

function paramLabel(type: string, param: string, lang: Lang): string {
  const def = nodeDef(type)?.params.find((p) => p.key === param);
  return def ? inSentence(def.label[lang] || def.label.en, lang) : param;
}

/** One change as a sentence fragment in `lang`. */
export function describeChange(c: GraphChange, lang: Lang): string {
  switch (c.kind) {
    case 'param':
      return t('diff.param', { node: c.node, param: paramLabel(c.type, c.param, lang), from: formatValue(c.from, lang), to: formatValue(c.to, lang) }, lang);
    case 'added':
    case 'removed': {
      const args = { node: c.node, type: typeTitle(c.type, lang), ...(c.after ? { after: c.after } : {}) };
      return t(`diff.${c.kind}${c.after ? 'After' : ''}`, args, lang);
    }
    case 'type':
      return t('diff.type', { node: c.node, from: typeTitle(c.from, lang), to: typeTitle(c.to, lang) }, lang);
    case 'label':
      return t('diff.label', { node: c.node, from: c.from || t('diff.unset', {}, lang), to: c.to || t('diff.unset', {}, lang) }, lang);
    case 'rewired':
      return t('diff.rewired', { node: c.node, socket: c.socket, from: c.from, to: c.to }, lang);
    case 'connected':
    case 'disconnected':
      return t(`diff.${c.kind}`, { from: c.from, to: c.to }, lang);
    case 'training':
      return t('diff.training', { setting: inSentence(t(TRAINING_LABEL[c.setting], {}, lang), lang), from: formatValue(c.from, lang), to: formatValue(c.to, lang) }, lang);
  }
}

/** Every change from `a` to `b` in words, one line each; empty when the model and its training are the same. */
export function describeDiff(a: GraphDocument, b: GraphDocument, lang: Lang): string[] {
  return diffDocuments(a, b).map((c) => describeChange(c, lang));
}
