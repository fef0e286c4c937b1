// Analysis of a graph document: validation (validate.ts), topological order (topology.ts), shapes and counts
// (shapes.ts) and network roles (roles.ts). Never throws: every problem becomes a diagnostic attached to a node (and
// socket or parameter) so the editor can show it where it belongs.
import type { Problem, Shape } from '../nodes/types';
import type { GraphDocument } from './document';
import { validateGraph } from './validate';
import { topology } from './topology';
import { inferShapes } from './shapes';
import { findRoles } from './roles';
import { datasetCatalog, type DatasetCatalog } from './datasets';
import { checkLabels, labelsOf } from './labels';
import { checkSampleLabels } from '../io/sampleGrid';

export type Network = 'generator' | 'discriminator';

export interface Diagnostic extends Problem {
  severity: 'error' | 'warning';
  /** The node the problem belongs to; absent for graph-wide problems (e.g. "no combiner"). */
  node?: string;
  /** The edge it belongs to, for refused connections. */
  edge?: string;
}

/** How the analysis steps record an error. */
export type Report = (p: Problem & { node?: string; edge?: string }) => void;

export interface GraphAnalysis {
  diagnostics: Diagnostic[];
  /** Output shapes per node and output socket, where known. */
  shapes: Record<string, Record<string, Shape>>;
  /** Shape carried by each edge, where known. */
  edgeShapes: Record<string, Shape>;
  /** Trained parameters per node. */
  nodeParams: Record<string, number>;
  /** Weights per node that no optimizer trains (batch norm's moving statistics); only nodes that have some. */
  nodeNonTrainable: Record<string, number>;
  network: Record<string, Network | 'link'>;
  /** Trained parameters per network. */
  totals: Record<Network, number>;
  /** Non-trained weights per network (moving statistics): a network's weight count is totals + this. */
  nonTrainableTotals: Record<Network, number>;
  /** Present when the graph forms a complete GAN that can be compiled. */
  gan?: GanStructure;
  /** True when there are no errors and `gan` is set. */
  ok: boolean;
}

/** The roles the engine found: which nodes form G and D, in evaluation order, and which losses train what. */
export interface GanStructure {
  /** G's input nodes, in document order (today one noise input; a conditional GAN adds its label). */
  generatorInputs: string[];
  /** D's input nodes, in document order; `image` is among them. */
  discriminatorInputs: string[];
  /** D's image input: real images enter here, and G's fakes in the G stage. */
  image: string;
  /** A conditional GAN's label inputs (both or neither): G's is the label asked for, D's carries the same labels. */
  generatorLabel?: string;
  discriminatorLabel?: string;
  /** Layer nodes of G in topological order (branches and joins included); G's output is the last. */
  generator: string[];
  discriminator: string[];
  /** The node (and its output socket) whose output is G's fake image, fed to the combiner. */
  generatorOutput: string;
  generatorOutputSocket: string;
  discriminatorOutput: string;
  discriminatorOutputSocket: string;
  combiner: string;
  dLoss: string;
  gLoss: string;
}

/** `datasets`: where image inputs' datasets are looked up (this realm's catalogue unless a test gives another). */
export function analyzeGraph(doc: GraphDocument, datasets: DatasetCatalog = datasetCatalog): GraphAnalysis {
  const diagnostics: Diagnostic[] = [];
  const error: Report = (p) => diagnostics.push({ severity: 'error', ...p });
  const graph = validateGraph(doc, error);
  const topo = topology(graph, error);
  const { shapes, edgeShapes, nodeParams, nodeNonTrainable } = inferShapes(graph, topo, error, datasets);
  const { network, gan } = findRoles(doc, graph, topo, error);
  checkLabels(graph, topo, network, error, labelsOf(datasets), (p) => diagnostics.push({ severity: 'warning', ...p }));
  // The grid's digits must be labels the conditional G knows.
  const label = gan?.generatorLabel ? doc.nodes.find((n) => n.id === gan.generatorLabel) : undefined;
  if (label && doc.training.sampleLabels && typeof label.params.classes === 'number') {
    const problem = checkSampleLabels(doc.training.sampleLabels, label.params.classes);
    if (problem) error({ node: label.id, ...problem });
  }

  // Nodes outside both networks are allowed while editing, but flagged so nothing is silently ignored.
  for (const n of doc.nodes) if (graph.defs.has(n.id) && network[n.id] === undefined && n.type !== 'BCELoss') diagnostics.push({ severity: 'warning', node: n.id, code: 'graph.unused' });

  const perNetwork = (counts: Record<string, number>) => {
    const sums: Record<Network, number> = { generator: 0, discriminator: 0 };
    for (const [id, count] of Object.entries(counts)) {
      const net = network[id];
      if (net === 'generator' || net === 'discriminator') sums[net] += count;
    }
    return sums;
  };
  const totals = perNetwork(nodeParams);
  const nonTrainableTotals = perNetwork(nodeNonTrainable);
  const ok = gan !== undefined && !diagnostics.some((d) => d.severity === 'error');
  return { diagnostics, shapes, edgeShapes, nodeParams, nodeNonTrainable, network, totals, nonTrainableTotals, gan: ok ? gan : undefined, ok };
}
