// Step 2 of analysis: the order data flows in. Kahn's topological order over the accepted edges; the nodes that
// reach themselves sit on a loop and are reported there. Also the graph walks the later steps share.
import type { GraphEdge } from './document';
import type { Report } from './analyze';
import type { ValidatedGraph } from './validate';

export interface Topology {
  /** Every node not downstream of a loop, inputs before the nodes they feed; ties in document order. */
  order: string[];
  onCycle: Set<string>;
  /** Accepted edges out of each node. */
  outgoing: Map<string, GraphEdge[]>;
  /** The edge into a node's input socket, if any. */
  source(node: string, socket: string): GraphEdge | undefined;
  /** The node and everything upstream of it (loops excluded), the node first. */
  ancestors(node: string): string[];
}

export function topology(g: ValidatedGraph, error: Report): Topology {
  const indeg = new Map<string, number>([...g.defs.keys()].map((id) => [id, 0]));
  const outgoing = new Map<string, GraphEdge[]>();
  for (const e of g.edges) {
    indeg.set(e.to.node, (indeg.get(e.to.node) ?? 0) + 1);
    outgoing.set(e.from.node, [...(outgoing.get(e.from.node) ?? []), e]);
  }
  const queue = [...indeg].filter(([, d]) => d === 0).map(([id]) => id);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const e of outgoing.get(id) ?? []) {
      const d = (indeg.get(e.to.node) ?? 0) - 1;
      indeg.set(e.to.node, d);
      if (d === 0) queue.push(e.to.node);
    }
  }
  // Kahn also leaves behind everything downstream of a loop; only nodes that reach themselves are on it.
  const reachesItself = (start: string): boolean => {
    const seen = new Set<string>();
    const stack = (outgoing.get(start) ?? []).map((e) => e.to.node);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === start) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const e of outgoing.get(n) ?? []) stack.push(e.to.node);
    }
    return false;
  };
  const ordered = new Set(order);
  const onCycle = new Set([...g.defs.keys()].filter((id) => !ordered.has(id) && reachesItself(id)));
  for (const id of onCycle) error({ node: id, code: 'graph.cycle' });

  const source = (node: string, socket: string) => g.incoming.get(`${node}:${socket}`);
  const ancestors = (node: string): string[] => {
    const seen = new Set<string>();
    const walk = (n: string) => {
      if (seen.has(n) || onCycle.has(n)) return;
      seen.add(n);
      for (const s of g.defs.get(n)?.inputs ?? []) {
        const e = source(n, s.key);
        if (e) walk(e.from.node);
      }
    };
    walk(node);
    return [...seen];
  };
  return { order, onCycle, outgoing, source, ancestors };
}
