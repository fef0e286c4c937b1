// Step 3 of analysis: shapes and parameter counts, node by node in topological order, each from the node's own shape
// rule with its inputs by socket. A node whose inputs are unknown stays unknown without another message.
import type { Shape, UpstreamInput } from '../nodes/types';
import type { Report } from './analyze';
import type { Topology } from './topology';
import type { ValidatedGraph } from './validate';
import type { DatasetCatalog } from './datasets';

export interface Shapes {
  /** Output shapes per node and output socket, where known. */
  shapes: Record<string, Record<string, Shape>>;
  /** Shape carried by each edge, where known. */
  edgeShapes: Record<string, Shape>;
  /** Trained parameters per node. */
  nodeParams: Record<string, number>;
  /** Weights per node that no optimizer trains (batch norm's moving statistics); only nodes that have some. */
  nodeNonTrainable: Record<string, number>;
}

export function inferShapes(g: ValidatedGraph, t: Topology, error: Report, datasets: DatasetCatalog): Shapes {
  const shapes: Record<string, Record<string, Shape>> = {};
  const edgeShapes: Record<string, Shape> = {};
  const nodeParams: Record<string, number> = {};
  const nodeNonTrainable: Record<string, number> = {};
  const documentOrder = [...g.nodes.keys()];
  for (const id of t.order) {
    const def = g.defs.get(id)!;
    const node = g.nodes.get(id)!;
    if (g.badParams.has(id)) continue;
    const inputs: Record<string, Shape> = {};
    let known = true;
    for (const s of def.inputs) {
      const e = t.source(id, s.key);
      const shape = e ? shapes[e.from.node]?.[e.from.socket] : undefined;
      if (!shape) known = false;
      else inputs[s.key] = shape;
    }
    if (!known) continue;
    const result = def.inferShape(inputs, node.params, {
      upstreamInputs: (socket): UpstreamInput[] => {
        const e = t.source(id, socket);
        if (!e) return [];
        const upstream = new Set(t.ancestors(e.from.node));
        return documentOrder
          .filter((n) => upstream.has(n) && g.defs.get(n)?.category === 'input')
          .map((n) => ({ node: n, type: g.nodes.get(n)!.type, shape: shapes[n]?.out }));
      },
      dataset: (datasetId) => datasets.get(datasetId),
      datasetOf: (node) => {
        const n = g.nodes.get(node);
        return n?.type === 'ImageInput' ? datasets.get(String(n.params.dataset)) : undefined;
      },
    });
    if (!result.ok) {
      error({ node: id, ...result.problem });
      continue;
    }
    shapes[id] = result.shapes;
    nodeParams[id] = def.paramCount(inputs, node.params);
    const fixed = def.nonTrainableCount?.(inputs, node.params) ?? 0;
    if (fixed > 0) nodeNonTrainable[id] = fixed;
    for (const e of t.outgoing.get(id) ?? []) {
      const s = result.shapes[e.from.socket];
      if (s) edgeShapes[e.id] = s;
    }
  }
  return { shapes, edgeShapes, nodeParams, nodeNonTrainable };
}
