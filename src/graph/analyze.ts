// Validation, shape inference, network roles and parameter counts for a graph document. Never throws: every problem
// becomes a diagnostic attached to a node (and socket or parameter) so the editor can show it where it belongs.
import { nodeDef } from '../nodes/registry';
import type { NodeDef, Problem, Shape } from '../nodes/types';
import { checkParamValue, type GraphDocument, type GraphEdge, type GraphNode } from './document';

export type Network = 'generator' | 'discriminator';

export interface Diagnostic extends Problem {
  severity: 'error' | 'warning';
  /** The node the problem belongs to; absent for graph-wide problems (e.g. "no combiner"). */
  node?: string;
  /** The edge it belongs to, for refused connections. */
  edge?: string;
}

export interface GraphAnalysis {
  diagnostics: Diagnostic[];
  /** Output shapes per node and output socket, where known. */
  shapes: Record<string, Record<string, Shape>>;
  /** Shape carried by each edge, where known. */
  edgeShapes: Record<string, Shape>;
  nodeParams: Record<string, number>;
  network: Record<string, Network | 'link'>;
  totals: Record<Network, number>;
  /** Present when the graph forms a complete GAN that can be compiled. */
  gan?: GanStructure;
  /** True when there are no errors and `gan` is set. */
  ok: boolean;
}

/** The roles the engine found: which nodes form G and D, in evaluation order, and which losses train what. */
export interface GanStructure {
  noise: string;
  image: string;
  /** Layer nodes of G from noise to G's output, in order; G's output is the last (or the noise node if empty). */
  generator: string[];
  discriminator: string[];
  generatorOutput: string;
  discriminatorOutput: string;
  combiner: string;
  dLoss: string;
  gLoss: string;
}

export function analyzeGraph(doc: GraphDocument): GraphAnalysis {
  const diagnostics: Diagnostic[] = [];
  const error = (p: Problem & { node?: string; edge?: string }) => diagnostics.push({ severity: 'error', ...p });
  const nodes = new Map<string, GraphNode>(doc.nodes.map((n) => [n.id, n]));
  const defs = new Map<string, NodeDef>();
  for (const n of doc.nodes) {
    const def = nodeDef(n.type);
    if (!def) {
      error({ node: n.id, code: 'graph.unknownType', args: { type: n.type } });
      continue;
    }
    defs.set(n.id, def);
    let paramsOk = true;
    for (const p of def.params) {
      const problem = checkParamValue(p, n.params[p.key]);
      if (problem) {
        paramsOk = false;
        error({ node: n.id, ...problem });
      }
    }
    if (paramsOk) for (const problem of def.checkParams?.(n.params) ?? []) error({ node: n.id, ...problem });
  }

  // Edges: each must join an existing output to an existing input; an input takes at most one edge.
  const incoming = new Map<string, GraphEdge>(); // `${node}:${socket}` -> edge
  const goodEdges: GraphEdge[] = [];
  for (const e of doc.edges) {
    const fromDef = defs.get(e.from.node);
    const toDef = defs.get(e.to.node);
    if (!nodes.has(e.from.node) || !nodes.has(e.to.node)) {
      error({ edge: e.id, node: nodes.has(e.to.node) ? e.to.node : e.from.node, code: 'graph.edgeMissingNode' });
      continue;
    }
    if (!fromDef || !toDef) continue;
    if (!fromDef.outputs.some((s) => s.key === e.from.socket)) {
      error({ edge: e.id, node: e.from.node, socket: e.from.socket, code: 'graph.noSuchOutput', args: { socket: e.from.socket } });
      continue;
    }
    if (!toDef.inputs.some((s) => s.key === e.to.socket)) {
      error({ edge: e.id, node: e.to.node, socket: e.to.socket, code: 'graph.noSuchInput', args: { socket: e.to.socket } });
      continue;
    }
    if (e.from.node === e.to.node) {
      error({ edge: e.id, node: e.to.node, socket: e.to.socket, code: 'graph.selfLoop' });
      continue;
    }
    const key = `${e.to.node}:${e.to.socket}`;
    if (incoming.has(key)) {
      error({ edge: e.id, node: e.to.node, socket: e.to.socket, code: 'graph.extraConnection', args: { socket: e.to.socket } });
      continue;
    }
    incoming.set(key, e);
    goodEdges.push(e);
  }
  for (const [id, def] of defs) {
    for (const s of def.inputs) if (!incoming.has(`${id}:${s.key}`)) error({ node: id, socket: s.key, code: 'graph.missingInput', args: { socket: s.key } });
  }

  // Topological order (Kahn); nodes left over sit on a cycle.
  const indeg = new Map<string, number>([...defs.keys()].map((id) => [id, 0]));
  const out = new Map<string, GraphEdge[]>();
  for (const e of goodEdges) {
    indeg.set(e.to.node, (indeg.get(e.to.node) ?? 0) + 1);
    out.set(e.from.node, [...(out.get(e.from.node) ?? []), e]);
  }
  const queue = [...indeg].filter(([, d]) => d === 0).map(([id]) => id);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const e of out.get(id) ?? []) {
      const d = (indeg.get(e.to.node) ?? 0) - 1;
      indeg.set(e.to.node, d);
      if (d === 0) queue.push(e.to.node);
    }
  }
  // Kahn also leaves behind everything downstream of a loop; only nodes that reach themselves are on it.
  const reachesItself = (start: string): boolean => {
    const seen = new Set<string>();
    const stack = (out.get(start) ?? []).map((e) => e.to.node);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === start) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const e of out.get(n) ?? []) stack.push(e.to.node);
    }
    return false;
  };
  const onCycle = new Set([...defs.keys()].filter((id) => !order.includes(id) && reachesItself(id)));
  for (const id of onCycle) error({ node: id, code: 'graph.cycle' });

  const source = (id: string, socket: string) => incoming.get(`${id}:${socket}`);
  const rootOf = (id: string, seen = new Set<string>()): string | undefined => {
    if (seen.has(id)) return undefined;
    seen.add(id);
    const def = defs.get(id);
    if (!def) return undefined;
    if (def.category === 'input') return id;
    const first = def.inputs[def.inputs.length - 1];
    const e = first && source(id, first.key);
    return e ? rootOf(e.from.node, seen) : undefined;
  };

  // Shapes, in topological order. A node whose inputs are unknown stays unknown without another message.
  const shapes: Record<string, Record<string, Shape>> = {};
  const edgeShapes: Record<string, Shape> = {};
  const nodeParams: Record<string, number> = {};
  for (const id of order) {
    const def = defs.get(id)!;
    const node = nodes.get(id)!;
    if (diagnostics.some((d) => d.node === id && d.param)) continue;
    const inputs: Record<string, Shape> = {};
    let known = true;
    for (const s of def.inputs) {
      const e = source(id, s.key);
      const shape = e ? shapes[e.from.node]?.[e.from.socket] : undefined;
      if (!shape) known = false;
      else inputs[s.key] = shape;
    }
    if (!known) continue;
    const result = def.inferShape(inputs, node.params, {
      rootInputShape: (socket) => {
        const e = source(id, socket);
        const root = e && rootOf(e.from.node);
        return root ? shapes[root]?.out : undefined;
      },
    });
    if (!result.ok) {
      error({ node: id, ...result.problem });
      continue;
    }
    shapes[id] = result.shapes;
    nodeParams[id] = def.paramCount(inputs, node.params);
    for (const e of out.get(id) ?? []) {
      const s = result.shapes[e.from.socket];
      if (s) edgeShapes[e.id] = s;
    }
  }

  // Roles: the combiner joins G (its `fake` input) and D (its `critic` input); losses train D or, via the combiner, G.
  const network: Record<string, Network | 'link'> = {};
  const ancestors = (id: string): string[] => {
    const seen: string[] = [];
    const walk = (n: string) => {
      if (seen.includes(n) || onCycle.has(n)) return;
      seen.push(n);
      for (const s of defs.get(n)?.inputs ?? []) {
        const e = source(n, s.key);
        if (e) walk(e.from.node);
      }
    };
    walk(id);
    return seen;
  };
  const ofType = (type: string) => doc.nodes.filter((n) => n.type === type).map((n) => n.id);
  const combiners = ofType('FreezingCombiner');
  let gan: GanStructure | undefined;
  if (combiners.length === 0) error({ code: 'graph.noCombiner' });
  else if (combiners.length > 1) for (const id of combiners.slice(1)) error({ node: id, code: 'graph.extraCombiner' });
  if (ofType('NoiseInput').length === 0) error({ code: 'graph.noNoise' });
  if (ofType('ImageInput').length === 0) error({ code: 'graph.noImage' });

  const combiner = combiners[0];
  if (combiner && !onCycle.has(combiner)) {
    const fakeEdge = source(combiner, 'fake');
    const criticEdge = source(combiner, 'critic');
    const gNodes = fakeEdge ? ancestors(fakeEdge.from.node) : [];
    const dNodes = criticEdge ? ancestors(criticEdge.from.node) : [];
    for (const id of gNodes) network[id] = 'generator';
    for (const id of dNodes) network[id] = network[id] === 'generator' ? 'link' : 'discriminator';
    network[combiner] = 'link';
    for (const id of dNodes) {
      if (gNodes.includes(id)) error({ node: id, code: 'graph.sharedNode' });
    }
    const losses = ofType('BCELoss');
    const lossesOn = (producer: string | undefined) => losses.filter((l) => producer !== undefined && source(l, 'pred')?.from.node === producer);
    const dLosses = lossesOn(criticEdge?.from.node);
    const gLosses = lossesOn(combiner);
    for (const l of dLosses) network[l] = 'discriminator';
    for (const l of gLosses) network[l] = 'generator';
    for (const l of losses) if (!dLosses.includes(l) && !gLosses.includes(l) && source(l, 'pred')) error({ node: l, code: 'graph.lossNotOnGan' });
    if (criticEdge && dLosses.length === 0) error({ node: criticEdge.from.node, code: 'graph.noDLoss' });
    if (dLosses.length > 1) for (const l of dLosses.slice(1)) error({ node: l, code: 'graph.extraLoss' });
    if (gLosses.length === 0) error({ node: combiner, code: 'graph.noGLoss' });
    if (gLosses.length > 1) for (const l of gLosses.slice(1)) error({ node: l, code: 'graph.extraLoss' });
    const gRoot = gNodes.find((id) => defs.get(id)?.category === 'input');
    const dRoot = dNodes.find((id) => defs.get(id)?.category === 'input');
    if (fakeEdge && gRoot && nodes.get(gRoot)!.type !== 'NoiseInput') error({ node: combiner, socket: 'fake', code: 'graph.generatorNeedsNoise' });
    if (criticEdge && dRoot && nodes.get(dRoot)!.type !== 'ImageInput') error({ node: combiner, socket: 'critic', code: 'graph.discriminatorNeedsImage' });
    // A chain must be a single path: fan-in from a second input (or the combiner) is not a G or D.
    for (const id of [...gNodes, ...dNodes]) {
      const def = defs.get(id);
      if (def && def.category !== 'layer' && def.category !== 'input') error({ node: id, code: 'graph.notALayer', args: { type: def.type } });
    }
    const hasErrors = diagnostics.some((d) => d.severity === 'error');
    if (!hasErrors && fakeEdge && criticEdge && gRoot && dRoot) {
      const inOrder = (ids: string[]) => order.filter((id) => ids.includes(id) && defs.get(id)?.category === 'layer');
      gan = {
        noise: gRoot,
        image: dRoot,
        generator: inOrder(gNodes),
        discriminator: inOrder(dNodes),
        generatorOutput: fakeEdge.from.node,
        discriminatorOutput: criticEdge.from.node,
        combiner,
        dLoss: dLosses[0],
        gLoss: gLosses[0],
      };
    }
  }
  // Nodes outside both networks are allowed while editing, but flagged so nothing is silently ignored.
  for (const n of doc.nodes) if (defs.has(n.id) && network[n.id] === undefined && n.type !== 'BCELoss') diagnostics.push({ severity: 'warning', node: n.id, code: 'graph.unused' });

  const totals: Record<Network, number> = { generator: 0, discriminator: 0 };
  for (const [id, count] of Object.entries(nodeParams)) {
    const net = network[id];
    if (net === 'generator' || net === 'discriminator') totals[net] += count;
  }
  const ok = gan !== undefined && !diagnostics.some((d) => d.severity === 'error');
  return { diagnostics, shapes, edgeShapes, nodeParams, network, totals, gan: ok ? gan : undefined, ok };
}
