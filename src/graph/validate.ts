// Step 1 of analysis: which nodes and edges can be used at all. Every node's type and parameters are checked against
// its definition, every edge must join an existing output to an existing input, and an input takes one edge.
import { nodeDef } from '../nodes/registry';
import type { NodeDef } from '../nodes/types';
import { checkParamValue, type GraphDocument, type GraphEdge, type GraphNode } from './document';
import type { Report } from './analyze';

export interface ValidatedGraph {
  nodes: Map<string, GraphNode>;
  /** Definitions of the nodes whose type is known. */
  defs: Map<string, NodeDef>;
  /** The accepted edge into each input, by `${node}:${socket}`. */
  incoming: Map<string, GraphEdge>;
  /** Edges that join known sockets of known nodes. */
  edges: GraphEdge[];
  /** Nodes with a bad parameter value: they get no shape (and so no follow-up shape errors). */
  badParams: Set<string>;
}

export function validateGraph(doc: GraphDocument, error: Report): ValidatedGraph {
  const nodes = new Map<string, GraphNode>(doc.nodes.map((n) => [n.id, n]));
  const defs = new Map<string, NodeDef>();
  const badParams = new Set<string>();
  for (const n of doc.nodes) {
    const def = nodeDef(n.type);
    if (!def) {
      error({ node: n.id, code: 'graph.unknownType', args: { type: n.type } });
      continue;
    }
    defs.set(n.id, def);
    for (const p of def.params) {
      const problem = checkParamValue(p, n.params[p.key]);
      if (problem) {
        badParams.add(n.id);
        error({ node: n.id, ...problem });
      }
    }
    if (!badParams.has(n.id)) {
      for (const problem of def.checkParams?.(n.params) ?? []) {
        if (problem.param) badParams.add(n.id);
        error({ node: n.id, ...problem });
      }
    }
  }

  const incoming = new Map<string, GraphEdge>();
  const edges: GraphEdge[] = [];
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
    edges.push(e);
  }
  for (const [id, def] of defs) {
    for (const s of def.inputs) if (!incoming.has(`${id}:${s.key}`)) error({ node: id, socket: s.key, code: 'graph.missingInput', args: { socket: s.key } });
  }
  return { nodes, defs, incoming, edges, badParams };
}
