// The Rete v2 canvas. It mirrors the document store (reconcile) and reports the person's edits back to the store;
// it never owns the graph. Edits made by reconcile itself are marked with `syncing` so they are not reported back.
import { ClassicPreset, NodeEditor, type GetSchemes } from 'rete';
import { AreaExtensions, AreaPlugin } from 'rete-area-plugin';
import { ClassicFlow, ConnectionPlugin, getSourceTarget, type SocketData } from 'rete-connection-plugin';
import { Presets, SveltePlugin, type SvelteArea2D } from 'rete-svelte-plugin/5';
import { ContextMenuPlugin, type ContextMenuExtra } from 'rete-context-menu-plugin';
import { MinimapPlugin, type MinimapExtra } from 'rete-minimap-plugin';
import type { AutoArrangePlugin } from 'rete-auto-arrange-plugin';
import { get } from 'svelte/store';
import { NODE_TYPES, nodeDef } from '../../nodes/registry';
import type { GraphDocument, GraphNode, Point } from '../../graph/document';
import { checkConnection, newEdgeId } from '../../graph/connect';
import { t, type Msg } from '../../i18n/ui';
import { lang } from '../state/language';
import type { DocumentStore } from '../state/documentStore';
import { activeStage, groupBadge } from '../training/trainingStore';
import GanNodeView from './GanNode.svelte';
import ShapeConnection from './ShapeConnection.svelte';

export interface CanvasCtx {
  store: DocumentStore;
}

const tensorSocket = new ClassicPreset.Socket('tensor');
export const NODE_WIDTH = 176;

/** Rough height before the DOM is measured (arrange and minimap need a size up front). */
function estimateHeight(type: string): number {
  const def = nodeDef(type);
  const rows = (def?.inputs.length ?? 0) + (def?.outputs.length ?? 0);
  return 64 + rows * 30 + 24;
}

export class GanNode extends ClassicPreset.Node {
  width = NODE_WIDTH;
  height: number;
  constructor(
    doc: GraphNode,
    public ctx: CanvasCtx,
  ) {
    super(doc.type);
    this.id = doc.id;
    this.height = estimateHeight(doc.type);
    const def = nodeDef(doc.type);
    // Inputs claim "multiple connections" only so Rete never silently drops an existing edge when a second one is
    // dropped on the same input: checkConnection refuses that case with a message instead.
    for (const s of def?.inputs ?? []) this.addInput(s.key, new ClassicPreset.Input(tensorSocket, s.label.en, true));
    for (const s of def?.outputs ?? []) this.addOutput(s.key, new ClassicPreset.Output(tensorSocket, s.label.en));
  }
}

export class GanConnection extends ClassicPreset.Connection<GanNode, GanNode> {
  ctx?: CanvasCtx;
}

type Schemes = GetSchemes<GanNode, GanConnection>;
type AreaExtra = SvelteArea2D<Schemes> | ContextMenuExtra | MinimapExtra;

/** Ctrl, Cmd or Shift held while picking a node adds it to the selection. */
function accumulateOnModifier() {
  let active = false;
  const update = (e: KeyboardEvent | PointerEvent) => {
    active = e.ctrlKey || e.metaKey || e.shiftKey;
  };
  window.addEventListener('keydown', update);
  window.addEventListener('keyup', update);
  window.addEventListener('pointerdown', update, true);
  return {
    active: () => active,
    destroy() {
      window.removeEventListener('keydown', update);
      window.removeEventListener('keyup', update);
      window.removeEventListener('pointerdown', update, true);
    },
  };
}

export async function createEditor(container: HTMLElement, store: DocumentStore) {
  const ctx: CanvasCtx = { store };
  const editor = new NodeEditor<Schemes>();
  const area = new AreaPlugin<Schemes, AreaExtra>(container);
  const connection = new ConnectionPlugin<Schemes, AreaExtra>();
  const render = new SveltePlugin<Schemes, AreaExtra>();
  const minimap = new MinimapPlugin<Schemes>({ boundViewport: true });
  // The layout engine (elkjs) is over a megabyte: it loads on the first Arrange, not with the editor.
  let arrange: AutoArrangePlugin<Schemes> | undefined;
  let syncing = 0;

  const contextMenu = new ContextMenuPlugin<Schemes>({
    items(context) {
      const l = get(lang);
      if (context === 'root') {
        const at = { ...area.area.pointer };
        return {
          searchBar: false,
          list: NODE_TYPES.map((def) => ({
            label: def.title[l],
            key: def.type,
            handler: () => void store.addNode(def.type, at),
          })),
        };
      }
      const ids = get(store.selection).includes(context.id) ? get(store.selection) : [context.id];
      return { searchBar: false, list: [{ label: t('canvas.delete', {}, l), key: 'delete', handler: () => void store.removeNodes(ids) }] };
    },
  });

  const accumulating = accumulateOnModifier();
  const selector = AreaExtensions.selector();
  const selectable = AreaExtensions.selectableNodes(area, selector, { accumulating });

  render.addPreset(
    Presets.classic.setup({
      customize: {
        node: () => GanNodeView as never,
        connection: () => ShapeConnection as never,
      },
    }),
  );
  render.addPreset(Presets.contextMenu.setup({ delay: 200 }));
  // Small, so it stays clear of the nodes at the canvas edge after zoom-to-fit.
  render.addPreset(Presets.minimap.setup({ size: 120 }));
  // Rete does not add connections itself: makeConnection checks the edge and puts it in the document, and
  // reconcile then draws it. A refused edge shows why.
  connection.addPreset(
    () =>
      new ClassicFlow<Schemes, AreaExtra[]>({
        canMakeConnection: (a: SocketData, b: SocketData) => !(a.nodeId === b.nodeId && a.side === b.side && a.key === b.key),
        makeConnection: (a: SocketData, b: SocketData) => proposeConnection(a, b),
      }),
  );

  editor.use(area);
  area.use(connection);
  area.use(render);
  area.use(contextMenu);
  area.use(minimap);
  AreaExtensions.simpleNodesOrder(area);

  // ---- Person → store ----
  const reportSelection = () =>
    queueMicrotask(() => {
      const sel = editor
        .getNodes()
        .filter((n) => (n as GanNode & { selected?: boolean }).selected)
        .map((n) => n.id);
      const cur = get(store.selection);
      if (sel.length !== cur.length || sel.some((id, i) => id !== cur[i])) store.selection.set(sel);
    });

  function proposeConnection(a: SocketData, b: SocketData): boolean {
    const refuse = (reason: Msg) => {
      store.notify('error', { scope: 'engine', key: 'connect.refused', nested: { reason } });
      return false;
    };
    if (get(store.locked)) {
      store.notify('error', store.lockMessage());
      return false;
    }
    const pair = getSourceTarget(a, b);
    if (!pair) return refuse(a.nodeId === b.nodeId ? { scope: 'engine', key: 'connect.sameNode' } : { scope: 'ui', key: 'connect.sameSide' });
    const [source, target] = pair;
    const from = { node: source.nodeId, socket: source.key };
    const to = { node: target.nodeId, socket: target.key };
    const doc = store.get();
    const problem = checkConnection(doc, from, to, get(store.analysis));
    if (problem) return refuse({ scope: 'engine', key: problem.code, args: problem.args });
    return store.apply((d) => {
      d.edges.push({ id: newEdgeId(doc), from, to });
    });
  }

  editor.addPipe((c) => {
    if (syncing > 0) return c;
    if (c.type === 'connectionremoved') {
      // The connection plugin removes a connection when a person drags it off an input.
      const ok = store.apply((doc) => {
        doc.edges = doc.edges.filter((e) => e.id !== c.data.id);
      });
      if (!ok) scheduleReconcile();
    }
    return c;
  });

  area.addPipe((c) => {
    if (c.type === 'nodepicked' || c.type === 'pointerup') reportSelection();
    if (c.type === 'nodedragged' && syncing === 0) commitPositions();
    if (c.type === 'nodetranslated' || c.type === 'zoomed' || c.type === 'translated') scheduleGroups();
    return c;
  });

  function currentPositions(): Record<string, Point> {
    const out: Record<string, Point> = {};
    for (const [id, view] of area.nodeViews) out[id] = { ...view.position };
    return out;
  }
  function commitPositions() {
    const positions = currentPositions();
    const doc = store.get();
    const moved = doc.nodes.some((n) => {
      const p = positions[n.id];
      return p && (Math.round(p.x) !== n.position.x || Math.round(p.y) !== n.position.y);
    });
    if (moved && !store.moveNodes(positions)) scheduleReconcile();
  }

  // ---- Store → canvas ----
  let chain: Promise<void> = Promise.resolve();
  function scheduleReconcile(): Promise<void> {
    chain = chain.then(() => reconcile(store.get())).catch((e) => console.error('reconcile failed', e));
    return chain;
  }

  async function reconcile(doc: GraphDocument) {
    syncing++;
    try {
      const wantNodes = new Map(doc.nodes.map((n) => [n.id, n]));
      const wantEdges = new Map(doc.edges.map((e) => [e.id, e]));
      for (const c of editor.getConnections()) {
        const e = wantEdges.get(c.id);
        if (!e || e.from.node !== c.source || e.from.socket !== c.sourceOutput || e.to.node !== c.target || e.to.socket !== c.targetInput) {
          await editor.removeConnection(c.id);
        }
      }
      for (const n of editor.getNodes()) {
        const want = wantNodes.get(n.id);
        if (!want || want.type !== n.label) {
          for (const c of editor.getConnections()) if (c.source === n.id || c.target === n.id) await editor.removeConnection(c.id);
          await editor.removeNode(n.id);
        }
      }
      for (const n of doc.nodes) {
        if (!editor.getNode(n.id)) {
          await editor.addNode(new GanNode(n, ctx));
          await area.translate(n.id, n.position);
        } else {
          const view = area.nodeViews.get(n.id);
          if (view && (Math.round(view.position.x) !== n.position.x || Math.round(view.position.y) !== n.position.y)) await area.translate(n.id, n.position);
        }
      }
      for (const e of doc.edges) {
        if (editor.getConnection(e.id)) continue;
        const from = editor.getNode(e.from.node);
        const to = editor.getNode(e.to.node);
        // Edges the analysis flags (unknown socket, second edge into one input) stay in the document but are not drawn.
        if (!from || !to || !from.outputs[e.from.socket] || !to.inputs[e.to.socket]) continue;
        if (editor.getConnections().some((c) => c.target === e.to.node && c.targetInput === e.to.socket)) continue;
        const conn = new GanConnection(from, e.from.socket, to, e.to.socket);
        conn.id = e.id;
        conn.ctx = ctx;
        await editor.addConnection(conn);
      }
      await syncSelection(get(store.selection));
    } finally {
      syncing--;
    }
    scheduleGroups();
  }

  async function syncSelection(sel: string[]) {
    const want = new Set(sel);
    for (const n of editor.getNodes()) {
      const selected = Boolean((n as GanNode & { selected?: boolean }).selected);
      if (want.has(n.id) && !selected) await selectable.select(n.id, true);
      if (!want.has(n.id) && selected) await selectable.unselect(n.id);
    }
  }

  // ---- Network groups drawn behind the nodes ----
  const groupLayer = document.createElement('div');
  groupLayer.className = 'gan-groups';
  area.area.content.holder.prepend(groupLayer);
  let groupsQueued = false;
  function scheduleGroups() {
    if (groupsQueued) return;
    groupsQueued = true;
    requestAnimationFrame(() => {
      groupsQueued = false;
      drawGroups();
    });
  }
  function drawGroups() {
    const { groups, totals, fixedTotals } = get(store.derived);
    const l = get(lang);
    groupLayer.replaceChildren();
    for (const net of ['generator', 'discriminator'] as const) {
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      for (const [id, view] of area.nodeViews) {
        // Boxes hold the networks' own inputs and layers; losses and the combiner sit between/outside them.
        const category = nodeDef(editor.getNode(id)?.label ?? '')?.category;
        if (groups[id] !== net || category === 'loss' || category === 'combiner') continue;
        const el = view.element.firstElementChild as HTMLElement | null;
        const w = el?.offsetWidth || NODE_WIDTH;
        const h = el?.offsetHeight || 120;
        const node = editor.getNode(id);
        if (node) node.height = h;
        x0 = Math.min(x0, view.position.x);
        y0 = Math.min(y0, view.position.y);
        x1 = Math.max(x1, view.position.x + w);
        y1 = Math.max(y1, view.position.y + h);
      }
      if (!Number.isFinite(x0)) continue;
      const pad = 24;
      const box = document.createElement('div');
      box.className = `gan-group gan-group-${net}`;
      box.dataset.network = net;
      Object.assign(box.style, { left: `${x0 - pad}px`, top: `${y0 - pad - 30}px`, width: `${x1 - x0 + 2 * pad}px`, height: `${y1 - y0 + 2 * pad + 30}px` });
      const label = document.createElement('div');
      label.className = 'gan-group-label';
      // textContent: labels are text, never HTML.
      const n = (x: number) => x.toLocaleString(l === 'ko' ? 'ko-KR' : 'en-US');
      // With batch norm the frame shows both figures: all weights, then trained + moving statistics.
      label.textContent =
        fixedTotals[net] > 0
          ? t(net === 'generator' ? 'canvas.generatorWithStats' : 'canvas.discriminatorWithStats', { total: n(totals[net] + fixedTotals[net]), count: n(totals[net]), fixed: n(fixedTotals[net]) }, l)
          : t(net === 'generator' ? 'canvas.generator' : 'canvas.discriminator', { count: n(totals[net]) }, l);
      box.append(label);
      // Training stage (updating / frozen ❄), from the training panel's store.
      const badge = groupBadge(net, get(activeStage), l);
      if (badge) box.append(badge);
      groupLayer.append(box);
    }
  }

  const unsubs = [
    store.doc.subscribe(() => void scheduleReconcile()),
    store.derived.subscribe(() => scheduleGroups()),
    lang.subscribe(() => scheduleGroups()),
    activeStage.subscribe(() => scheduleGroups()),
    store.selection.subscribe((sel) => {
      chain = chain.then(async () => {
        syncing++;
        try {
          await syncSelection(sel);
        } finally {
          syncing--;
        }
      });
    }),
  ];
  await chain;

  async function fit() {
    await chain;
    if (editor.getNodes().length > 0) await AreaExtensions.zoomAt(area, editor.getNodes(), { scale: 0.85 });
  }

  /** Converts a client (mouse) position to area coordinates, for drops. */
  function clientToArea(event: MouseEvent): Point {
    area.area.setPointerFrom(event);
    return { ...area.area.pointer };
  }

  /** The area coordinates of the visible centre, for adding with click/Enter. */
  function viewCentre(): Point {
    const rect = container.getBoundingClientRect();
    const { x, y, k } = area.area.transform;
    return { x: (rect.width / 2 - x) / k - NODE_WIDTH / 2, y: (rect.height / 2 - y) / k - 60 };
  }

  async function autoArrange() {
    if (get(store.locked)) {
      store.notify('error', store.lockMessage());
      return;
    }
    await chain;
    for (const n of editor.getNodes()) {
      const el = area.nodeViews.get(n.id)?.element.firstElementChild as HTMLElement | null;
      if (el?.offsetHeight) n.height = el.offsetHeight;
    }
    try {
      syncing++;
      try {
        if (!arrange) {
          const { AutoArrangePlugin, Presets } = await import('rete-auto-arrange-plugin');
          arrange = new AutoArrangePlugin<Schemes>();
          arrange.addPreset(Presets.classic.setup());
          area.use(arrange);
        }
        await arrange.layout({ options: { 'elk.spacing.nodeNode': '40', 'elk.layered.spacing.nodeNodeBetweenLayers': '60' } });
      } finally {
        syncing--;
      }
      commitPositions();
      await fit();
    } catch (e) {
      store.notify('error', { scope: 'ui', key: 'notice.arrangeFailed', args: { detail: (e as Error).message } });
    }
  }

  return {
    editor,
    area,
    fit,
    clientToArea,
    viewCentre,
    autoArrange,
    destroy() {
      for (const u of unsubs) u();
      accumulating.destroy();
      area.destroy();
    },
  };
}

export type CanvasEditor = Awaited<ReturnType<typeof createEditor>>;
