// Step 5 of analysis: a conditional GAN's labels agree with its data, before any training. Every label input must
// have a dataset with labels behind it (D's image input names it) and declare as many classes as it has; every
// Embedding must read a label input directly and have a row for each class. Problems land on the node to change.
// The class counts come from the dataset catalogue: MNIST's 10 digits, or a learner's own class folders / IDX labels.
import { num } from '../nodes/types';
import type { Network, Report } from './analyze';
import { datasetCatalog, type DatasetCatalog } from './datasets';
import type { Topology } from './topology';
import type { ValidatedGraph } from './validate';

/**
 * What a dataset's labels are: its name and number of classes (undefined when it has no labels); undefined for a
 * dataset this realm does not know (the image input already says so, so there is nothing to add about labels).
 */
export type DatasetLabels = (datasetId: string) => { name: string; classes?: number } | undefined;

/** A catalogue's datasets as DatasetLabels. */
export function labelsOf(catalog: DatasetCatalog = datasetCatalog): DatasetLabels {
  return (id) => {
    const d = catalog.get(id);
    return d ? { name: d.name, classes: d.classes } : undefined;
  };
}

/** `warn` records what trains but is probably not meant (an Embedding with rows no label reaches). */
export function checkLabels(g: ValidatedGraph, t: Topology, network: Record<string, Network | 'link'>, error: Report, datasetLabels: DatasetLabels = labelsOf(), warn: Report = () => {}): void {
  const ofType = (type: string) => [...g.nodes.values()].filter((n) => n.type === type && !g.badParams.has(n.id));
  const labels = ofType('LabelInput');
  const embeddings = ofType('Embedding');
  if (labels.length === 0 && embeddings.length === 0) return;
  // The data is what D's image input reads: the image input in D (or the only one in the graph).
  const images = ofType('ImageInput');
  const image = images.find((n) => network[n.id] === 'discriminator') ?? (images.length === 1 ? images[0] : undefined);
  const datasetId = image ? String(image.params.dataset) : undefined;
  const dataset = datasetId !== undefined ? datasetLabels(datasetId) : undefined;
  const classes = dataset?.classes;
  for (const l of labels) {
    const declared = num(l.params, 'classes');
    if (dataset && classes === undefined) error({ node: l.id, code: 'graph.labelsNoData', args: { dataset: dataset.name } });
    else if (dataset && classes !== undefined && declared !== classes) error({ node: l.id, param: 'classes', code: 'graph.labelClasses', args: { classes: declared, dataset: dataset.name, datasetClasses: classes, last: classes - 1 } });
  }
  for (const e of embeddings) {
    const edge = t.source(e.id, 'in');
    if (!edge) continue;
    const from = g.nodes.get(edge.from.node);
    if (from?.type !== 'LabelInput') {
      error({ node: e.id, socket: 'in', code: 'graph.embeddingNeedsLabel' });
      continue;
    }
    const rows = num(e.params, 'inputDim');
    // Rows for every label the data can hold (the dataset's count when known, else what the label input declares).
    const need = classes ?? (g.badParams.has(from.id) ? undefined : num(from.params, 'classes'));
    const source = classes !== undefined && dataset ? dataset.name : from.id;
    if (need === undefined) continue;
    if (rows < need) error({ node: e.id, param: 'inputDim', code: 'graph.embeddingTooFewRows', args: { rows, classes: need, dataset: source, last: need - 1 } });
    else if (rows > need) warn({ node: e.id, param: 'inputDim', code: 'graph.embeddingExtraRows', args: { rows, classes: need, dataset: source, first: need, lastRow: rows - 1 } });
  }
}
