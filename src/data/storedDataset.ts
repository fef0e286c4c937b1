// A realm (the training worker, the page) reading the learner's stored datasets: the pixels for training, and the
// catalogue entries the graph analysis looks shapes up in.
import { datasetCatalog, type DatasetCatalog } from '../graph/datasets';
import { catalogEntry, DataError, type DatasetMeta, type PreparedDataset } from './dataset';
import { DatasetStore } from './datasetStore';

/** The image input's dataset in a document ('mnist' when there is none or it names MNIST). */
export function imageDatasetOf(doc: { nodes: { type: string; params: Record<string, unknown> }[] }): string {
  const input = doc.nodes.find((n) => n.type === 'ImageInput');
  return typeof input?.params.dataset === 'string' ? input.params.dataset : 'mnist';
}



/** Loads a stored dataset for training and lists it in `catalog`; data.missing when this browser does not have it. */
export async function loadStoredDataset(id: string, store = new DatasetStore(), catalog: DatasetCatalog = datasetCatalog): Promise<PreparedDataset> {
  const ds = await store.load(id);
  if (!ds) throw new DataError('data.missing', { dataset: id.replace(/^user:/, '') });
  catalog.set([catalogEntry(ds.meta)]);
  return ds;
}

/** Fills `catalog` with what the store holds (at start-up, and after a dataset is added or removed). */
export async function syncCatalog(store = new DatasetStore(), catalog: DatasetCatalog = datasetCatalog): Promise<DatasetMeta[]> {
  const metas = await store.list();
  catalog.replaceAll(metas.map(catalogEntry));
  return metas;
}
