// Every problem the person must know about, in one list: the engine's diagnostics (node, socket and graph-wide ones)
// plus fields that hold a value the document refused (an invalid entry is never silently replaced: it stays in its
// field, marks its node and blocks Run). Messages name sockets and parameters by their labels, never their keys.
import type { Diagnostic } from '../../graph/analyze';
import type { GraphDocument } from '../../graph/document';
import { nodeDef } from '../../nodes/registry';
import type { Problem } from '../../nodes/types';
import { engineMessage } from '../../i18n/messages';
import { t, type Lang } from '../../i18n/ui';
import type { Derived } from './documentStore';

/** A field holding text the document refused: a node parameter (`node:param`) or a training setting (`training:key`). */
export interface FieldDraft {
  text: string;
  problem: Problem;
}

export interface ProblemItem {
  severity: 'error' | 'warning';
  node?: string;
  socket?: string;
  /** Set for a training setting (iterations, batch size, sample interval). */
  training?: string;
  text: (lang: Lang) => string;
}

export const draftKey = (node: string, param: string) => `${node}:${param}`;
export const trainingDraftKey = (key: string) => `training:${key}`;
export const TRAINING_FIELDS = ['iterations', 'batchSize', 'sampleInterval'] as const;
export type TrainingField = (typeof TRAINING_FIELDS)[number];
const trainingLabelKey: Record<TrainingField, string> = {
  iterations: 'training.iterations',
  batchSize: 'training.batchSize',
  sampleInterval: 'training.sampleInterval',
};

/** A diagnostic's message with socket and parameter keys replaced by the node's labels in `lang`. */
export function diagnosticText(doc: GraphDocument, d: Pick<Diagnostic, 'code' | 'args' | 'node'>, lang: Lang): string {
  const type = doc.nodes.find((n) => n.id === d.node)?.type;
  const def = type ? nodeDef(type) : undefined;
  const args: Record<string, string | number> = { ...(d.args ?? {}) };
  if (def && typeof args.socket === 'string') {
    const s = [...def.inputs, ...def.outputs].find((x) => x.key === args.socket);
    if (s) args.socket = s.label[lang] || s.label.en;
  }
  if (def && typeof args.param === 'string') {
    const p = def.params.find((x) => x.key === args.param);
    if (p) args.param = p.label[lang] || p.label.en;
  }
  return engineMessage(d.code, args, lang);
}

export function listProblems(doc: GraphDocument, derived: Derived, drafts: Record<string, FieldDraft>): ProblemItem[] {
  const items: ProblemItem[] = [];
  const drafted = new Set(Object.keys(drafts));
  for (const [key, draft] of Object.entries(drafts)) {
    const [owner, field] = key.split(':');
    if (owner === 'training') {
      const label = trainingLabelKey[field as TrainingField] ?? field;
      items.push({ severity: 'error', training: field, text: (l) => engineMessage(draft.problem.code, { ...(draft.problem.args ?? {}), param: t(label, {}, l) }, l) });
    } else if (doc.nodes.some((n) => n.id === owner)) {
      items.push({ severity: 'error', node: owner, text: (l) => diagnosticText(doc, { ...draft.problem, node: owner, args: { ...(draft.problem.args ?? {}), param: field } }, l) });
    }
  }
  for (const d of derived.analysis.diagnostics) {
    // A field's own draft message already says what is wrong with that parameter.
    if (d.node && d.param && drafted.has(draftKey(d.node, d.param))) continue;
    // A node drawn inside a network frame is part of that network as far as the person can see: say what is missing
    // instead of "not part of G or D", which would contradict the frame around it.
    const group = d.node ? derived.groups[d.node] : undefined;
    if (d.code === 'graph.unused' && (group === 'generator' || group === 'discriminator')) {
      items.push({ severity: d.severity, node: d.node, text: (l) => t(group === 'generator' ? 'problem.incompleteG' : 'problem.incompleteD', {}, l) });
      continue;
    }
    items.push({ severity: d.severity, node: d.node, socket: d.socket, text: (l) => diagnosticText(doc, d, l) });
  }
  // Errors first, graph-wide before node ones within a severity, so the list starts with what blocks Run.
  const rank = (p: ProblemItem) => (p.severity === 'error' ? 0 : 2) + (p.node ? 1 : 0);
  return items.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map((x) => x.p);
}
