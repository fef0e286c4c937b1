// Step 5 of analysis: a conditional GAN's labels agree with its data, before any training. Every label input must
// have a dataset with labels behind it (D's image input names it) and declare as many classes as it has; every
// Embedding must read a label input directly and have a row for each class. Problems land on the node to change.
import { num } from '../nodes/types';
import { DATASET_CLASSES } from '../nodes/imageInput';
import type { Network, Report } from './analyze';
import type { Topology } from './topology';
import type { ValidatedGraph } from './validate';

/** What a dataset's labels are: its name and number of classes; undefined when it has none. */
export type DatasetLabels = (datasetId: string) => { name: string; classes: number } | undefined;

const knownLabels: DatasetLabels = (id) => (Object.hasOwn(DATASET_CLASSES, id) ? DATASET_CLASSES[id] : undefined);

export function checkLabels(g: ValidatedGraph, t: Topology, network: Record<string, Network | 'link'>, error: Report, labelsOf: DatasetLabels = knownLabels): void {
  const ofType = (type: string) => [...g.nodes.values()].filter((n) => n.type === type && !g.badParams.has(n.id));
  const labels = ofType('LabelInput');
  const embeddings = ofType('Embedding');
  if (labels.length === 0 && embeddings.length === 0) return;
  // The data is what D's image input reads: the image input in D (or the only one in the graph).
  const images = ofType('ImageInput');
  const image = images.find((n) => network[n.id] === 'discriminator') ?? (images.length === 1 ? images[0] : undefined);
  const datasetId = image ? String(image.params.dataset) : undefined;
  const dataset = datasetId !== undefined ? labelsOf(datasetId) : undefined;
  for (const l of labels) {
    const classes = num(l.params, 'classes');
    if (datasetId !== undefined && !dataset) error({ node: l.id, code: 'graph.labelsNoData', args: { dataset: datasetId } });
    else if (dataset && classes !== dataset.classes) error({ node: l.id, param: 'classes', code: 'graph.labelClasses', args: { classes, dataset: dataset.name, datasetClasses: dataset.classes, last: dataset.classes - 1 } });
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
    const classes = dataset?.classes ?? (g.badParams.has(from.id) ? undefined : num(from.params, 'classes'));
    if (classes !== undefined && rows < classes) {
      error({ node: e.id, param: 'inputDim', code: 'graph.embeddingTooFewRows', args: { rows, classes, dataset: dataset?.name ?? from.id, last: classes - 1 } });
    }
  }
}
