// The page's side of the learner's datasets: the catalogue as Svelte stores (the image input's Dataset list, and a tick
// the document store re-analyses on), the stored list, the Data panel's open state, and the dataset worker's client.
import { derived, get, readable, writable, type Readable } from 'svelte/store';
import { datasetCatalog, type DatasetInfo } from '../../graph/datasets';
import { errorName, type DatasetMeta } from '../../data/dataset';
import { DatasetStore } from '../../data/datasetStore';
import { syncCatalog } from '../../data/storedDataset';
import type { Msg } from '../../i18n/ui';
import type { FromDatasetWorker, PickedFile } from '../../worker/datasetProtocol';

/** Counts catalogue changes: whatever derives from it (the analysis) runs again when datasets come or go. */
export const catalogTick: Readable<number> = readable(0, (set) => {
  let n = 0;
  return datasetCatalog.subscribe(() => set(++n));
});

/** MNIST and the learner's datasets, for the image input's Dataset field. */
export const datasetList: Readable<DatasetInfo[]> = derived(catalogTick, () => datasetCatalog.list());

/** The stored datasets' metadata (counts, labels, report), oldest first. */
export const storedDatasets = writable<DatasetMeta[]>([]);
/** Why the stored list could not be read, if it could not. */
export const storeProblem = writable<Msg | null>(null);

let store: DatasetStore | undefined;
const datasetStore = () => (store ??= new DatasetStore());

/** Reads the store into the catalogue and the list (start-up, and after each load or delete). */
export async function refreshDatasets(): Promise<void> {
  try {
    storedDatasets.set(await syncCatalog(datasetStore()));
    storeProblem.set(null);
  } catch (e) {
    const err = e as { code?: string; args?: Record<string, string | number>; message?: string };
    storeProblem.set(err.code ? { scope: 'engine', key: err.code, args: err.args } : { scope: 'engine', key: 'data.storageRead', args: { error: errorName(e) } });
  }
}

export async function deleteDataset(id: string): Promise<void> {
  try {
    await datasetStore().remove(id);
  } finally {
    await refreshDatasets();
  }
}

/** The Data panel: closed, or open for an image input (the node whose dataset "Use this dataset" sets). */
export const dataPanel = writable<{ open: boolean; nodeId?: string }>({ open: false });
export const openDataPanel = (nodeId?: string) => dataPanel.set({ open: true, nodeId });
export const closeDataPanel = () => dataPanel.set({ ...get(dataPanel), open: false });

export type LoadState =
  | { kind: 'idle' }
  | { kind: 'working'; phase: 'reading' | 'decoding' | 'storing'; done: number; total: number }
  | { kind: 'done'; meta: DatasetMeta; preview: { pixels: Uint8Array; labels: number[] }; ms: { read: number; prepare: number; store: number } }
  | { kind: 'failed'; message: Msg };

/** One preparation at a time in a fresh worker (ended when it answers, so its memory goes back at once). */
export class DatasetLoader {
  readonly state = writable<LoadState>({ kind: 'idle' });
  private worker: Worker | undefined;

  get busy(): boolean {
    return this.worker !== undefined;
  }

  load(files: PickedFile[], name: string, target: number[], minImages: number): void {
    if (this.worker || files.length === 0) return;
    const worker = new Worker(new URL('../../worker/datasetWorker.ts', import.meta.url), { type: 'module', name: 'ganvas-dataset' });
    this.worker = worker;
    this.state.set({ kind: 'working', phase: 'reading', done: 0, total: files.length });
    const finish = (s: LoadState) => {
      worker.terminate();
      if (this.worker === worker) this.worker = undefined;
      this.state.set(s);
    };
    worker.onmessage = (e: MessageEvent<FromDatasetWorker>) => {
      const msg = e.data;
      if (msg.type === 'progress') this.state.set({ kind: 'working', phase: msg.phase, done: msg.done, total: msg.total });
      else if (msg.type === 'error') finish({ kind: 'failed', message: { scope: 'engine', key: msg.code, args: msg.args } });
      else {
        finish({ kind: 'done', meta: msg.meta, preview: msg.preview, ms: msg.ms });
        void refreshDatasets();
      }
    };
    // The worker died (out of memory, a crash): its English error text goes to the console, the person gets a message.
    worker.onerror = (e) => {
      console.warn('dataset worker stopped:', e.message);
      finish({ kind: 'failed', message: { scope: 'engine', key: 'data.workerStopped', args: { where: name } } });
    };
    worker.postMessage({ type: 'prepare', files, name, target, minImages, store: true });
  }

  /** Asks the worker to stop; it answers data.cancelled with nothing stored. */
  cancel(): void {
    this.worker?.postMessage({ type: 'cancel' });
  }

  reset(): void {
    if (!this.worker) this.state.set({ kind: 'idle' });
  }
}

/** A folder dropped on the page, walked into its files with their paths (`shapes/circle/001.png`). */
export async function droppedFiles(items: DataTransferItemList): Promise<PickedFile[]> {
  const entries = [...items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  const out: PickedFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ path: prefix + entry.name, file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries returns at most ~100 entries per call: read until it returns none.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}

/** Picked files with their folder paths (a webkitdirectory input gives webkitRelativePath). */
export const pickedFiles = (list: FileList | null): PickedFile[] => [...(list ?? [])].map((f) => ({ path: f.webkitRelativePath || f.name, file: f }));

/** A dataset name from what was given: the folder, the zip's or the IDX images file's name. */
export function nameOf(files: PickedFile[]): string {
  const first = files[0]?.path ?? 'images';
  if (first.includes('/')) return first.split('/')[0];
  if (files.length === 1) return first.replace(/\.zip$/i, '');
  const idx = files.find((f) => /images|idx3/i.test(f.path)) ?? files[0];
  return idx.path.replace(/\.gz$/i, '').replace(/[-_.]?(images|labels)?[-_.]?(idx\d-ubyte|ubyte|idx\d?)$/i, '') || 'images';
}

/**
 * The Dataset field's options: MNIST, the stored datasets, and the value in the document even when this browser does
 * not have it (the field must show what the graph says; the analysis names the problem).
 */
export function datasetChoices(current: string, list: DatasetInfo[], tr: { t(key: string): string }): { id: string; name: string }[] {
  const out = list.map((d) => ({ id: d.id, name: d.id === 'mnist' ? tr.t('datasets.mnist') : `${d.name} (${d.shape.join('×')})` }));
  if (!out.some((d) => d.id === current)) out.push({ id: current, name: current.replace(/^user:/, '') });
  return out;
}
