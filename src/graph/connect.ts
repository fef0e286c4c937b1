// Editor-facing graph helpers: checking a proposed connection before it enters the document, and network totals
// that also cover graphs still being built (analyzeGraph only assigns G/D once a combiner joins them).
import { nodeDef } from '../nodes/registry';
import type { Problem } from '../nodes/types';
import { analyzeGraph, type Diagnostic, type GraphAnalysis, type Network } from './analyze';
import type { GraphDocument, GraphEdge, SocketRef } from './document';

const key = (d: Diagnostic) => `${d.code}|${d.node ?? ''}|${d.socket ?? ''}|${d.param ?? ''}|${JSON.stringify(d.args ?? {})}`;

/** A fresh edge id not used in `doc`. */
export function newEdgeId(doc: GraphDocument): string {
  const used = new Set(doc.edges.map((e) => e.id));
  let i = doc.edges.length + 1;
  while (used.has(`e${i}`)) i++;
  return `e${i}`;
}

/**
 * Returns null when `from → to` may be added to `doc`, otherwise the reason (an engine message code + args).
 * The candidate document is analysed with the edge added (nothing replaced); the connection is refused when the new
 * edge, or the node it feeds, gets an error that was not there before.
 */
export function checkConnection(doc: GraphDocument, from: SocketRef, to: SocketRef, analysis: GraphAnalysis = analyzeGraph(doc)): Problem | null {
  if (from.node === to.node) return { code: 'connect.sameNode' };
  const fromNode = doc.nodes.find((n) => n.id === from.node);
  const toNode = doc.nodes.find((n) => n.id === to.node);
  if (!fromNode || !toNode) return { code: 'graph.edgeMissingNode' };
  const fromDef = nodeDef(fromNode.type);
  const toDef = nodeDef(toNode.type);
  if (!fromDef || !toDef) return { code: 'graph.unknownType', args: { type: fromDef ? toNode.type : fromNode.type } };
  // Output→output or input→input arrive here with the socket on the wrong side.
  if (!fromDef.outputs.some((s) => s.key === from.socket)) return { code: 'graph.noSuchOutput', args: { socket: from.socket } };
  if (!toDef.inputs.some((s) => s.key === to.socket)) return { code: 'graph.noSuchInput', args: { socket: to.socket } };
  if (doc.edges.some((e) => e.to.node === to.node && e.to.socket === to.socket)) {
    return { code: 'graph.extraConnection', args: { socket: to.socket } };
  }

  const edge: GraphEdge = { id: newEdgeId(doc), from: { ...from }, to: { ...to } };
  const candidate: GraphDocument = { ...doc, edges: [...doc.edges, edge] };
  const after = analyzeGraph(candidate);
  const before = new Set(analysis.diagnostics.filter((d) => d.severity === 'error').map(key));
  const fresh = after.diagnostics.filter(
    (d) => d.severity === 'error' && !before.has(key(d)) && (d.edge === edge.id || d.node === to.node),
  );
  if (fresh.length === 0) return null;
  // A cycle is the clearest single reason when present.
  const cycle = fresh.find((d) => d.code === 'graph.cycle');
  if (cycle) return { code: 'connect.wouldCycle' };
  const { code, args, socket, param } = fresh[0];
  return { code, ...(args ? { args } : {}), ...(socket ? { socket } : {}), ...(param ? { param } : {}) };
}

/**
 * Parameter totals per network for display. Nodes analyzeGraph placed in G or D count there; nodes not yet placed
 * (no combiner yet, or a chain not joined to it) count for G when reachable from a noise input and for D when
 * reachable from an image input, so "G 114,064" shows as soon as the generator chain is wired. `counts` picks which
 * figure: trained parameters (default) or analysis.nodeNonTrainable (moving statistics).
 */
export function displayTotals(doc: GraphDocument, analysis: GraphAnalysis, counts: Record<string, number> = analysis.nodeParams): Record<Network, number> {
  const out = new Map<string, string[]>();
  for (const e of doc.edges) out.set(e.from.node, [...(out.get(e.from.node) ?? []), e.to.node]);
  const members: Record<Network, Set<string>> = { generator: new Set(), discriminator: new Set() };
  for (const [id, net] of Object.entries(analysis.network)) if (net !== 'link') members[net].add(id);
  const grow = (net: Network, rootType: string) => {
    const other: Network = net === 'generator' ? 'discriminator' : 'generator';
    const stack = doc.nodes.filter((n) => n.type === rootType).map((n) => n.id);
    const seen = new Set<string>();
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const assigned = analysis.network[id];
      if (assigned === 'link' || assigned === other) continue;
      members[net].add(id);
      for (const next of out.get(id) ?? []) stack.push(next);
    }
  };
  grow('generator', 'NoiseInput');
  grow('discriminator', 'ImageInput');
  const sum = (ids: Set<string>) => [...ids].reduce((s, id) => s + (counts[id] ?? 0), 0);
  return { generator: sum(members.generator), discriminator: sum(members.discriminator) };
}

/** Which group a node is drawn in: analyzeGraph's role, else the same reachability as displayTotals. */
export function displayNetworks(doc: GraphDocument, analysis: GraphAnalysis): Record<string, Network | 'link'> {
  const result: Record<string, Network | 'link'> = { ...analysis.network };
  const out = new Map<string, string[]>();
  for (const e of doc.edges) out.set(e.from.node, [...(out.get(e.from.node) ?? []), e.to.node]);
  const grow = (net: Network, rootType: string) => {
    const stack = doc.nodes.filter((n) => n.type === rootType).map((n) => n.id);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (result[id] !== undefined) continue; // placed by analyzeGraph or already visited
      const def = nodeDef(doc.nodes.find((n) => n.id === id)?.type ?? '');
      if (!def || def.category === 'combiner' || def.category === 'loss') continue;
      result[id] = net;
      for (const next of out.get(id) ?? []) stack.push(next);
    }
  };
  grow('generator', 'NoiseInput');
  grow('discriminator', 'ImageInput');
  return result;
}
