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
import { plural, t, type Msg } from '../../i18n/ui';
import { lang } from '../state/language';
import type { DocumentStore } from '../state/documentStore';
import { activeStage, groupBadge } from '../training/trainingStore';
import { teacher } from '../teach/teacher';
import { keyboardConnect, nodeSearch, selectedEdge, simplified, type SocketRef } from './canvasState';
import { frameRects, separateFrames, type Rect } from './frames';
import GanNodeView from './GanNode.svelte';
import ShapeConnection from './ShapeConnection.svelte';

export interface CanvasCtx {
  store: DocumentStore;
  /** Keyboard: Enter on a socket starts a connection, Enter on a second socket makes it. */
  socketKey(socket: SocketRef): void;
}

/**
 * Below this zoom the 12 px node details would show smaller than 11 px, so nodes switch to a simpler view: title and
 * output shape in type that grows as the zoom shrinks (see GanNode.svelte).
 */
export const SIMPLIFY_BELOW = 0.92;
export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 2;

const tensorSocket = new ClassicPreset.Socket('tensor');
// Wide enough that the simplified view's large titles fit (see GanNode.svelte); the preset spaces nodes 260 apart.
export const NODE_WIDTH = 190;

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
  const ctx: CanvasCtx = {
    store,
    socketKey(socket) {
      const from = get(keyboardConnect);
      if (!from) {
        keyboardConnect.set(socket);
        return;
      }
      keyboardConnect.set(null);
      if (from.nodeId === socket.nodeId && from.side === socket.side && from.key === socket.key) return;
      proposeConnection(from, socket);
    },
  };
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
      if (teacher.readonly) return { searchBar: false, list: [] };
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

  function proposeConnection(a: SocketRef, b: SocketRef): boolean {
    const refuse = (reason: Msg) => {
      store.notify('error', { scope: 'engine', key: 'connect.refused', nested: { reason } });
      return false;
    };
    if (get(store.locked)) {
      store.notify('error', store.lockMessage());
      return false;
    }
    const pair = getSourceTarget(a as SocketData, b as SocketData);
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

  // Double-click on empty canvas opens the node search (below) instead of zooming.
  area.addPipe((c) => {
    if (c.type === 'zoom' && c.data.source === 'dblclick') return;
    return c;
  });
  // A wire dropped on empty canvas opens the node search; the node picked there gets connected to the wire's socket.
  connection.addPipe((c) => {
    if (c.type === 'connectiondrop' && !c.data.socket && !c.data.created && !get(store.locked)) {
      const { nodeId, side, key } = c.data.initial;
      openSearch(lastPointer, { nodeId, side, key });
    }
    return c;
  });
  area.addPipe((c) => {
    if (c.type === 'pointerdown') {
      // A press on empty canvas clears an edge selection (edges select themselves on click).
      const target = (c.data.event as PointerEvent).target as Element | null;
      if (!target?.closest?.('[data-testid="connection"]')) selectedEdge.set(null);
    }
    if (c.type === 'nodepicked') selectedEdge.set(null);
    if (c.type === 'zoomed') updateZoomClass();
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
    for (const [id, view] of area.nodeViews) {
      const el = view.element.firstElementChild as HTMLElement | null;
      const node = editor.getNode(id);
      if (node && el?.offsetHeight) node.height = el.offsetHeight;
    }
    const frames = frameRects(nodeBoxes(), groups, nodeCategory);
    for (const net of ['generator', 'discriminator'] as const) {
      const f = frames[net];
      if (!f) continue;
      const box = document.createElement('div');
      box.className = `gan-group gan-group-${net}`;
      box.dataset.network = net;
      Object.assign(box.style, { left: `${f.x}px`, top: `${f.y}px`, width: `${f.w}px`, height: `${f.h}px` });
      const label = document.createElement('div');
      label.className = 'gan-group-label';
      // textContent: labels are text, never HTML.
      const n = (x: number) => x.toLocaleString(l === 'ko' ? 'ko-KR' : 'en-US');
      // With batch norm the frame shows both figures: all weights, then trained + moving statistics.
      label.textContent =
        fixedTotals[net] > 0
          ? t(net === 'generator' ? 'canvas.generatorWithStats' : 'canvas.discriminatorWithStats', { total: n(totals[net] + fixedTotals[net]), count: n(totals[net]), fixed: n(fixedTotals[net]) }, l)
          : plural(net === 'generator' ? 'canvas.generator' : 'canvas.discriminator', totals[net], {}, l);
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

  // ---- View: zoom classes, fit, zoom buttons, centring ----
  function updateZoomClass() {
    const k = area.area.transform.k;
    container.style.setProperty('--zoom', String(k));
    const simple = k < SIMPLIFY_BELOW;
    container.classList.toggle('simplified', simple);
    if (get(simplified) !== simple) simplified.set(simple);
  }

  function measureNodes() {
    for (const n of editor.getNodes()) {
      const el = area.nodeViews.get(n.id)?.element.firstElementChild as HTMLElement | null;
      if (el?.offsetHeight) n.height = el.offsetHeight;
    }
  }

  /** Node boxes and the network frames around them, in area coordinates. */
  function contentRects(): Rect[] {
    const rects: Rect[] = [];
    for (const n of editor.getNodes()) {
      const p = area.nodeViews.get(n.id)?.position;
      if (p) rects.push({ x: p.x, y: p.y, w: n.width, h: n.height });
    }
    return [...rects, ...Object.values(frameRects(nodeBoxes(), get(store.derived).groups, nodeCategory))];
  }

  function nodeBoxes(): Record<string, Rect> {
    const out: Record<string, Rect> = {};
    for (const n of editor.getNodes()) {
      const p = area.nodeViews.get(n.id)?.position;
      if (p) out[n.id] = { x: p.x, y: p.y, w: n.width, h: n.height };
    }
    return out;
  }
  const nodeCategory = (id: string) => nodeDef(editor.getNode(id)?.label ?? '')?.category;

  /**
   * Fits everything (nodes and frames) into the canvas with a margin, never above 100 %, and keeps it clear of the
   * minimap: when the content would run under it, the fit uses the canvas beside or above the minimap instead,
   * whichever leaves the larger zoom.
   */
  async function fit() {
    await chain;
    measureNodes();
    const rects = contentRects();
    const W = container.clientWidth;
    const H = container.clientHeight;
    if (rects.length === 0 || W === 0 || H === 0) {
      area.area.transform.x = W / 2;
      area.area.transform.y = H / 3;
      await area.area.zoom(1, 0, 0);
      updateZoomClass();
      return;
    }
    const x0 = Math.min(...rects.map((r) => r.x));
    const y0 = Math.min(...rects.map((r) => r.y));
    const x1 = Math.max(...rects.map((r) => r.x + r.w));
    const y1 = Math.max(...rects.map((r) => r.y + r.h));
    const margin = 16;
    const place = (w: number, h: number) => {
      const k = Math.min(1, (w - 2 * margin) / (x1 - x0), (h - 2 * margin) / (y1 - y0));
      return { k, x: (w - (x1 - x0) * k) / 2 - x0 * k, y: (h - (y1 - y0) * k) / 2 - y0 * k };
    };
    let best = place(W, H);
    const mini = container.querySelector<HTMLElement>('[data-testid="minimap"]');
    if (mini && mini.offsetWidth > 0) {
      const box = mini.getBoundingClientRect();
      const own = container.getBoundingClientRect();
      const left = box.left - own.left;
      const top = box.top - own.top;
      const covers = (v: { k: number; x: number; y: number }) =>
        rects.some((r) => r.x * v.k + v.x + r.w * v.k > left && r.y * v.k + v.y + r.h * v.k > top);
      if (covers(best)) {
        const beside = place(left, H);
        const above = place(W, top);
        best = beside.k >= above.k ? beside : above;
      }
    }
    area.area.transform.x = best.x;
    area.area.transform.y = best.y;
    await area.area.zoom(Math.max(MIN_ZOOM, best.k), 0, 0);
    updateZoomClass();
    scheduleGroups();
    fitted = { ...area.area.transform };
  }
  // While the view is still the fitted one, a canvas that changes size (panels growing, the window resized) fits again.
  let fitted: { x: number; y: number; k: number } | null = null;
  let refit = 0;
  const resizeObserver = new ResizeObserver(() => {
    const t = area.area.transform;
    if (!fitted || t.x !== fitted.x || t.y !== fitted.y || t.k !== fitted.k) return;
    cancelAnimationFrame(refit);
    refit = requestAnimationFrame(() => void fit());
  });
  resizeObserver.observe(container);

  /** Zooms by `factor` about the canvas centre. */
  async function zoomBy(factor: number) {
    const { k, x, y } = area.area.transform;
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k * factor));
    const delta = next / k - 1;
    await area.area.zoom(next, (x - container.clientWidth / 2) * delta, (y - container.clientHeight / 2) * delta);
    updateZoomClass();
  }

  /** Puts a node in the middle of the canvas at a zoom where its details are legible. */
  async function centreOn(id: string) {
    await chain;
    const view = area.nodeViews.get(id);
    const node = editor.getNode(id);
    if (!view || !node) return;
    const k = Math.max(area.area.transform.k, 1);
    area.area.transform.x = container.clientWidth / 2 - (view.position.x + node.width / 2) * k;
    area.area.transform.y = container.clientHeight / 2 - (view.position.y + node.height / 2) * k;
    await area.area.zoom(k, 0, 0);
    updateZoomClass();
  }

  // ---- Node search: double-click or Space on empty canvas, or a wire dropped there ----
  let lastPointer: Point = { x: 0, y: 0 };
  const onPointerMove = (e: PointerEvent) => {
    const r = container.getBoundingClientRect();
    lastPointer = { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const toArea = (p: Point): Point => {
    const { x, y, k } = area.area.transform;
    return { x: (p.x - x) / k, y: (p.y - y) / k };
  };
  function openSearch(screen: Point, from?: SocketRef) {
    if (get(store.locked)) {
      store.notify('error', store.lockMessage());
      return;
    }
    const at = toArea(screen);
    nodeSearch.set({ screen, at: { x: at.x - 20, y: at.y - 20 }, ...(from ? { from } : {}) });
  }
  /** Space or a keyboard request: at the pointer when it is over the canvas, else right of the selected node. */
  function openSearchByKeyboard() {
    const sel = get(store.selection);
    const last = sel.length > 0 ? area.nodeViews.get(sel[sel.length - 1]) : undefined;
    if (last) {
      const { x, y, k } = area.area.transform;
      const at = { x: last.position.x + NODE_WIDTH + 84, y: last.position.y };
      const screen = { x: Math.min(container.clientWidth - 40, at.x * k + x), y: Math.min(container.clientHeight - 40, at.y * k + y) };
      nodeSearch.set({ screen: { x: Math.max(8, screen.x), y: Math.max(8, screen.y) }, at });
      return;
    }
    openSearch({ x: container.clientWidth / 2 - 120, y: container.clientHeight / 3 });
  }
  /** Adds a node of `type` where the search asked, connecting it to the dropped wire's socket. */
  function addFromSearch(type: string): string | null {
    const req = get(nodeSearch);
    nodeSearch.set(null);
    if (!req) return null;
    const id = store.addNode(type, req.at);
    if (!id || !req.from) return id;
    const def = nodeDef(type);
    const other = req.from.side === 'output' ? def?.inputs[def.inputs.length - 1] : def?.outputs[0];
    if (other) proposeConnection(req.from, { nodeId: id, side: req.from.side === 'output' ? 'input' : 'output', key: other.key });
    return id;
  }
  const emptyTarget = (t: EventTarget | null) =>
    t instanceof Element && !t.closest('[data-testid="node"], [data-testid="connection"], [data-testid="minimap"], .canvas-controls, .node-search');
  const onDblClick = (e: MouseEvent) => {
    if (!emptyTarget(e.target)) return;
    const r = container.getBoundingClientRect();
    openSearch({ x: e.clientX - r.left, y: e.clientY - r.top });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target !== container) return;
    if (e.key === ' ' || (e.key === 'Enter' && !e.ctrlKey)) {
      e.preventDefault();
      openSearchByKeyboard();
    }
  };
  container.addEventListener('pointermove', onPointerMove);
  container.addEventListener('dblclick', onDblClick);
  container.addEventListener('keydown', onKeyDown);
  updateZoomClass();

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
    measureNodes();
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
        // ELK knows nothing of the G and D frames: move nodes apart until no frame overlaps the other or a non-member.
        const moved = separateFrames(nodeBoxes(), get(store.derived).groups, nodeCategory);
        for (const [id, p] of Object.entries(moved)) await area.translate(id, p);
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
    zoomBy,
    centreOn,
    openSearchByKeyboard,
    addFromSearch,
    clientToArea,
    viewCentre,
    autoArrange,
    destroy() {
      for (const u of unsubs) u();
      resizeObserver.disconnect();
      container.removeEventListener('pointermove', onPointerMove);
      container.removeEventListener('dblclick', onDblClick);
      container.removeEventListener('keydown', onKeyDown);
      accumulating.destroy();
      area.destroy();
    },
  };
}

export type CanvasEditor = Awaited<ReturnType<typeof createEditor>>;
