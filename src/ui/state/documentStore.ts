// The editor's single source of truth: the current GraphDocument, its analysis, the selection, the training lock and a
// snapshot-based undo history. The Rete canvas renders from here and reports edits back through `apply`.
import { derived, get, writable, type Readable, type Writable } from 'svelte/store';
import { analyzeGraph, type GraphAnalysis, type Network } from '../../graph/analyze';
import { cloneDocument, defaultParams, type GraphDocument, type GraphNode, type Point } from '../../graph/document';
import { displayNetworks, displayTotals } from '../../graph/connect';
import type { Msg } from '../../i18n/ui';
import { listProblems, type FieldDraft, type ProblemItem } from './problems';
import { catalogTick } from '../data/datasets';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: Msg;
  /** Extra lines, e.g. every load error with its path. */
  details?: { path: string; message: Msg }[];
}

export interface Derived {
  analysis: GraphAnalysis;
  totals: Record<Network, number>;
  /** Weights no optimizer trains (batch norm's moving statistics), per network; a network's weights are totals + this. */
  fixedTotals: Record<Network, number>;
  groups: Record<string, Network | 'link'>;
}

const HISTORY_LIMIT = 200;
const same = (a: GraphDocument, b: GraphDocument) => JSON.stringify(a) === JSON.stringify(b);

export function createDocumentStore(initial: GraphDocument) {
  const doc = writable<GraphDocument>(cloneDocument(initial));
  const past: GraphDocument[] = [];
  const future: GraphDocument[] = [];
  const historyState = writable({ canUndo: false, canRedo: false });
  const selection = writable<string[]>([]);
  // Two locks: training's (setLocked, lifted when a run ends) and teacher mode's read-only (setReadOnly), kept apart
  // so the end of a run never lifts a read-only page; `locked` is either.
  const trainingLock = writable(false);
  const readOnly = writable(false);
  const locked = derived([trainingLock, readOnly], ([a, b]) => a || b);
  const notice = writable<Notice | null>(null);
  let noticeId = 0;
  // begin()/end() nesting: edits inside one transaction (a drag, a paste) undo as one step.
  let txDepth = 0;
  let txStart: GraphDocument | null = null;

  // The dataset catalogue is an input too: a dataset loaded or deleted changes the image input's shape check.
  const derivedState: Readable<Derived> = derived([doc, catalogTick], ([d]) => {
    const analysis = analyzeGraph(d);
    return { analysis, totals: displayTotals(d, analysis), fixedTotals: displayTotals(d, analysis, analysis.nodeNonTrainable), groups: displayNetworks(d, analysis) };
  });
  const analysis = derived(derivedState, (s) => s.analysis);
  // Field text the document refused, by field (problems.ts): kept so the node stays marked and Run stays blocked.
  const drafts = writable<Record<string, FieldDraft>>({});
  const problems: Readable<ProblemItem[]> = derived([doc, derivedState, drafts], ([d, s, f]) => listProblems(d, s, f));
  /** Ready to train: no engine errors and no refused field value. */
  const trainable = derived([analysis, drafts], ([a, f]) => a.ok && Object.keys(f).length === 0);
  function setDraft(key: string, draft: FieldDraft | null) {
    drafts.update((cur) => {
      if (draft === null && !(key in cur)) return cur;
      const next = { ...cur };
      if (draft) next[key] = draft;
      else delete next[key];
      return next;
    });
  }
  /** Forgets drafts of nodes that are gone (delete, undo, load). */
  function pruneDrafts(d: GraphDocument) {
    const ids = new Set(d.nodes.map((n) => n.id));
    drafts.update((cur) => {
      const keep = Object.entries(cur).filter(([k]) => k.startsWith('training:') || ids.has(k.split(':')[0]));
      return keep.length === Object.keys(cur).length ? cur : Object.fromEntries(keep);
    });
  }

  const syncHistory = () => historyState.set({ canUndo: past.length > 0, canRedo: future.length > 0 });
  const pushPast = (snapshot: GraphDocument) => {
    past.push(snapshot);
    if (past.length > HISTORY_LIMIT) past.shift();
    future.length = 0;
    syncHistory();
  };

  function notify(kind: Notice['kind'], message: Msg, details?: Notice['details']) {
    notice.set({ id: ++noticeId, kind, message, ...(details ? { details } : {}) });
  }

  /** Why edits are refused now: teacher mode's read-only, else the training lock. */
  const lockMessage = (): Msg => ({ scope: 'ui', key: get(readOnly) ? 'notice.readOnly' : 'notice.locked' });

  function refuseIfLocked(): boolean {
    if (!get(locked)) return false;
    notify('error', lockMessage());
    return true;
  }

  /** Drops selected ids that no longer exist (after undo, delete, load). */
  function pruneSelection(d: GraphDocument) {
    const ids = new Set(d.nodes.map((n) => n.id));
    const sel = get(selection);
    if (sel.some((id) => !ids.has(id))) selection.set(sel.filter((id) => ids.has(id)));
  }

  /**
   * Applies an edit to a copy of the document and records it for undo. Returns false (with the lock notice) while
   * training holds the lock, or when the edit changed nothing.
   */
  function apply(edit: (draft: GraphDocument) => void): boolean {
    if (refuseIfLocked()) return false;
    const current = get(doc);
    const draft = cloneDocument(current);
    edit(draft);
    if (same(current, draft)) return false;
    if (txDepth === 0) pushPast(current);
    doc.set(draft);
    pruneSelection(draft);
    pruneDrafts(draft);
    return true;
  }

  function begin() {
    if (txDepth === 0) txStart = get(doc);
    txDepth++;
  }
  function end() {
    if (txDepth === 0) return;
    txDepth--;
    if (txDepth === 0 && txStart) {
      if (!same(txStart, get(doc))) pushPast(txStart);
      txStart = null;
    }
  }

  /** Replaces the whole document (load, new, preset); undoable unless `resetHistory`. */
  function replace(next: GraphDocument, opts: { resetHistory?: boolean } = {}): boolean {
    if (refuseIfLocked()) return false;
    const current = get(doc);
    if (opts.resetHistory) {
      past.length = 0;
      future.length = 0;
      syncHistory();
    } else if (!same(current, next)) pushPast(current);
    doc.set(cloneDocument(next));
    selection.set([]);
    drafts.set({});
    return true;
  }

  function undo(): boolean {
    if (refuseIfLocked() || past.length === 0) return false;
    future.push(get(doc));
    const prev = past.pop()!;
    doc.set(prev);
    pruneSelection(prev);
    pruneDrafts(prev);
    syncHistory();
    return true;
  }
  function redo(): boolean {
    if (refuseIfLocked() || future.length === 0) return false;
    past.push(get(doc));
    const next = future.pop()!;
    doc.set(next);
    pruneSelection(next);
    pruneDrafts(next);
    syncHistory();
    return true;
  }

  // ---- Edits the UI performs, each one undo step ----

  function newNodeId(d: GraphDocument, type: string): string {
    const base = type.replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'node';
    const used = new Set(d.nodes.map((n) => n.id));
    let i = 1;
    while (used.has(`${base}${i}`)) i++;
    return `${base}${i}`;
  }

  function addNode(type: string, position: Point): string | null {
    let id: string | null = null;
    const ok = apply((d) => {
      id = newNodeId(d, type);
      d.nodes.push({ id, type, params: defaultParams(type), position: { x: Math.round(position.x), y: Math.round(position.y) } });
    });
    if (ok && id) selection.set([id]);
    return ok ? id : null;
  }

  function removeNodes(ids: string[]): boolean {
    const gone = new Set(ids);
    return apply((d) => {
      d.nodes = d.nodes.filter((n) => !gone.has(n.id));
      d.edges = d.edges.filter((e) => !gone.has(e.from.node) && !gone.has(e.to.node));
    });
  }

  function moveNodes(positions: Record<string, Point>): boolean {
    return apply((d) => {
      for (const n of d.nodes) {
        const p = positions[n.id];
        if (p) n.position = { x: Math.round(p.x), y: Math.round(p.y) };
      }
    });
  }

  function setParam(nodeId: string, key: string, value: GraphNode['params'][string]): boolean {
    return apply((d) => {
      const n = d.nodes.find((x) => x.id === nodeId);
      if (n) n.params[key] = Array.isArray(value) ? [...value] : value;
    });
  }

  function setLabel(nodeId: string, label: string): boolean {
    return apply((d) => {
      const n = d.nodes.find((x) => x.id === nodeId);
      if (!n) return;
      if (label.trim() === '') delete n.label;
      else n.label = label;
    });
  }

  /** Pastes copied nodes with fresh ids, the edges among them, offset so they do not cover the originals. */
  function paste(clip: { nodes: GraphNode[]; edges: GraphDocument['edges'] }, offset: Point = { x: 40, y: 40 }): string[] {
    const created: string[] = [];
    apply((d) => {
      const ids = new Map<string, string>();
      for (const n of clip.nodes) {
        const id = newNodeId(d, n.type);
        ids.set(n.id, id);
        created.push(id);
        d.nodes.push({ ...cloneDocument(n), id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } });
      }
      const usedEdges = new Set(d.edges.map((e) => e.id));
      let k = d.edges.length + 1;
      for (const e of clip.edges) {
        const from = ids.get(e.from.node);
        const to = ids.get(e.to.node);
        if (!from || !to) continue;
        while (usedEdges.has(`e${k}`)) k++;
        usedEdges.add(`e${k}`);
        d.edges.push({ id: `e${k}`, from: { node: from, socket: e.from.socket }, to: { node: to, socket: e.to.socket } });
      }
    });
    if (created.length > 0) selection.set(created);
    return created;
  }

  /** The selected nodes and the edges between them, detached from the document. */
  function copySelection(): { nodes: GraphNode[]; edges: GraphDocument['edges'] } | null {
    const sel = new Set(get(selection));
    if (sel.size === 0) return null;
    const d = get(doc);
    return cloneDocument({ nodes: d.nodes.filter((n) => sel.has(n.id)), edges: d.edges.filter((e) => sel.has(e.from.node) && sel.has(e.to.node)) });
  }

  function setLocked(flag: boolean) {
    trainingLock.set(flag);
  }
  function setReadOnly(flag: boolean) {
    readOnly.set(flag);
  }

  return {
    doc: { subscribe: doc.subscribe } as Readable<GraphDocument>,
    derived: derivedState,
    analysis,
    drafts: { subscribe: drafts.subscribe } as Readable<Record<string, FieldDraft>>,
    problems,
    trainable: { subscribe: trainable.subscribe } as Readable<boolean>,
    setDraft,
    history: { subscribe: historyState.subscribe } as Readable<{ canUndo: boolean; canRedo: boolean }>,
    selection: selection as Writable<string[]>,
    locked: { subscribe: locked.subscribe } as Readable<boolean>,
    readOnly: { subscribe: readOnly.subscribe } as Readable<boolean>,
    notice: notice as Writable<Notice | null>,
    get: () => get(doc),
    apply,
    begin,
    end,
    replace,
    undo,
    redo,
    addNode,
    removeNodes,
    moveNodes,
    setParam,
    setLabel,
    paste,
    copySelection,
    setLocked,
    setReadOnly,
    lockMessage,
    notify,
  };
}

export type DocumentStore = ReturnType<typeof createDocumentStore>;
