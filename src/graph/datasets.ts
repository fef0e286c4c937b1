// The datasets an image input can name: MNIST (installed) and the learner's own (kept in the browser, or prepared by
// the headless runner from --data). The analysis reads shapes and names from here, so a graph follows its dataset.
// One catalogue per realm (page, worker, runner), filled by whoever loads datasets; no tfjs, no storage here.

/**
 * What the graph needs to know about a dataset: its name, its images' shape (height × width × channels) and, when it
 * has labels (MNIST's digits, a folder's class subfolders, an IDX label file), how many classes: a conditional graph's
 * label inputs and Embeddings are checked against that count.
 */
export interface DatasetInfo {
  id: string;
  name: string;
  shape: number[];
  /** Classes of its labels (labels run 0…classes − 1); absent when the dataset has no labels. */
  classes?: number;
  /** What each label stands for (a folder's class subfolders: "circle", "cross"…); absent where labels are their own names (MNIST's digits, IDX). */
  classNames?: string[];
}

export const MNIST_DATASET: DatasetInfo = { id: 'mnist', name: 'MNIST', shape: [28, 28, 1], classes: 10 };

export class DatasetCatalog {
  private readonly byId = new Map<string, DatasetInfo>([[MNIST_DATASET.id, MNIST_DATASET]]);
  private readonly listeners = new Set<() => void>();

  get(id: string): DatasetInfo | undefined {
    return this.byId.get(id);
  }

  /** MNIST first, then the learner's datasets by name. */
  list(): DatasetInfo[] {
    const own = [...this.byId.values()].filter((d) => d.id !== MNIST_DATASET.id).sort((a, b) => a.name.localeCompare(b.name));
    return [MNIST_DATASET, ...own];
  }

  /** Adds or replaces the learner's datasets; MNIST cannot be replaced. */
  set(infos: readonly DatasetInfo[]): void {
    for (const d of infos) {
      if (d.id === MNIST_DATASET.id) continue;
      const info: DatasetInfo = { id: d.id, name: d.name, shape: [...d.shape] };
      if (d.classes !== undefined && Number.isInteger(d.classes) && d.classes > 0) {
        info.classes = d.classes;
        if (d.classNames?.length === d.classes) info.classNames = [...d.classNames];
      }
      this.byId.set(d.id, info);
    }
    this.changed();
  }

  delete(id: string): void {
    if (id !== MNIST_DATASET.id && this.byId.delete(id)) this.changed();
  }

  /** Keeps exactly these user datasets (e.g. the store's index after a reload). */
  replaceAll(infos: readonly DatasetInfo[]): void {
    for (const id of [...this.byId.keys()]) if (id !== MNIST_DATASET.id) this.byId.delete(id);
    this.set(infos);
  }

  /** Called after every change (the editor re-analyses the graph); returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

/** This realm's catalogue. */
export const datasetCatalog = new DatasetCatalog();

/** Ids of the learner's own datasets: `user:` and a slug. */
export const isUserDatasetId = (id: string): boolean => /^user:[a-z0-9][a-z0-9-]{0,47}$/.test(id);
