// The page's side of the learner's datasets: the catalogue as Svelte stores (the image input's Dataset list, and a tick
// the document store re-analyses on), the stored list, the Data panel's open state, and the dataset worker's client.
import { derived, get, readable, writable, type Readable } from 'svelte/store';
import { datasetCatalog, type DatasetInfo } from '../../graph/datasets';
import { DATA_LIMITS, DataError, errorName, type DatasetMeta } from '../../data/dataset';
import { DatasetStore } from '../../data/datasetStore';
import { imageDatasetOf, syncCatalog } from '../../data/storedDataset';
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
  | { kind: 'working'; name: string; phase: 'reading' | 'decoding' | 'storing'; done: number; total: number }
  | { kind: 'done'; meta: DatasetMeta; preview: { pixels: Uint8Array; labels: number[] }; ms: { read: number; prepare: number; store: number } }
  | { kind: 'failed'; message: Msg };

const asMsg = (e: unknown, where: string): Msg =>
  e instanceof DataError ? { scope: 'engine', key: e.code, args: e.args } : { scope: 'engine', key: 'data.unexpected', args: { where, error: errorName(e) } };

/** One preparation at a time in a fresh worker (ended when it answers, so its memory goes back at once). */
export class DatasetLoader {
  readonly state = writable<LoadState>({ kind: 'idle' });
  private worker: Worker | undefined;
  /** A dropped folder being walked, before the worker starts. */
  private listing = false;

  get busy(): boolean {
    return this.worker !== undefined || this.listing;
  }

  load(files: PickedFile[], name: string, target: number[], minImages: number): void {
    if (this.worker || files.length === 0) return;
    const worker = new Worker(new URL('../../worker/datasetWorker.ts', import.meta.url), { type: 'module', name: 'ganvas-dataset' });
    this.worker = worker;
    this.state.set({ kind: 'working', name, phase: 'reading', done: 0, total: files.length });
    const finish = (s: LoadState) => {
      worker.terminate();
      if (this.worker === worker) this.worker = undefined;
      this.state.set(s);
    };
    worker.onmessage = (e: MessageEvent<FromDatasetWorker>) => {
      const msg = e.data;
      if (msg.type === 'progress') this.state.set({ kind: 'working', name, phase: msg.phase, done: msg.done, total: msg.total });
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

  /** Loads what was dropped: its folders are walked first (progress shows the files found), then prepared. */
  async loadDrop(drop: Drop, target: number[], minImages: number): Promise<void> {
    if (this.busy) return;
    const name = dropName(drop);
    this.listing = true;
    this.state.set({ kind: 'working', name, phase: 'reading', done: 0, total: 0 });
    let files: PickedFile[];
    try {
      files = await droppedFiles(drop, (found) => this.state.set({ kind: 'working', name, phase: 'reading', done: found, total: 0 }));
    } catch (e) {
      this.state.set({ kind: 'failed', message: asMsg(e, name) });
      return;
    } finally {
      this.listing = false;
    }
    if (files.length === 0) this.state.set({ kind: 'failed', message: { scope: 'engine', key: 'data.noImages', args: { where: name, notImages: 0, skipped: 0 } } });
    else this.load(files, nameOf(files), target, minImages);
  }

  /** Asks the worker to stop; it answers data.cancelled with nothing stored. */
  cancel(): void {
    this.worker?.postMessage({ type: 'cancel' });
  }

  /** Shows why nothing was loaded (a drop with no files in it), unless a load is under way. */
  refuse(message: Msg): void {
    if (!this.busy) this.state.set({ kind: 'failed', message });
  }

  reset(): void {
    if (!this.busy) this.state.set({ kind: 'idle' });
  }
}

/**
 * What a drop carries, taken during the drop event (the browser empties the DataTransfer once it returns): the
 * entries of dropped folders and files where the browser gives them (every current browser does for a drop from the
 * file manager), else the files themselves, with their folder path when they have one.
 */
export interface Drop {
  entries: FileSystemEntry[];
  files: PickedFile[];
}

export function captureDrop(dt: DataTransfer | null): Drop {
  const drop: Drop = { entries: [], files: [] };
  if (!dt) return drop;
  const items = [...(dt.items ?? [])].filter((i) => i.kind === 'file');
  for (const item of items) {
    const entry = item.webkitGetAsEntry?.() ?? null;
    if (entry) drop.entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) drop.files.push({ path: file.webkitRelativePath || file.name, file });
    }
  }
  if (items.length === 0) drop.files.push(...pickedFiles(dt.files));
  return drop;
}

export const isEmptyDrop = (d: Drop): boolean => d.entries.length === 0 && d.files.length === 0;

/** The dataset's name from a drop: the dropped folder's (or the first dropped thing's). */
const dropName = (d: Drop): string => (d.entries[0]?.name ?? nameOf(d.files)).replace(/\.zip$/i, '') || 'images';

const FILE_BATCH = 64;

/**
 * A drop walked into its files with their paths (`shapes/circle/001.png`). Folders are listed first, each in full
 * (readEntries gives at most ~100 entries a call), stopping once past the file limit; then the files are opened
 * 64 at a time. A folder or file that cannot be read fails the whole drop with its name, and nothing is loaded.
 */
export async function droppedFiles(drop: Drop, onFound: (count: number) => void = () => {}, maxFiles = DATA_LIMITS.maxFiles): Promise<PickedFile[]> {
  const found: { entry: FileSystemFileEntry; path: string }[] = [];
  const where = (e: FileSystemEntry) => e.fullPath.replace(/^\//, '') || e.name;
  const failed = (e: unknown, entry: FileSystemEntry) => new DataError(errorName(e) === 'NotFoundError' ? 'data.fileGone' : 'data.unreadable', { where: where(entry), error: errorName(e) });
  const tooMany = () => new DataError('data.tooManyFiles', { where: dropName(drop), count: `${maxFiles}+`, limit: maxFiles });
  const list = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      if (found.length >= maxFiles) throw tooMany();
      found.push({ entry: entry as FileSystemFileEntry, path: prefix + entry.name });
      if (found.length % 500 === 0) onFound(found.length);
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      const children: FileSystemEntry[] = [];
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej)).catch((e: unknown) => {
          throw failed(e, entry);
        });
        if (batch.length === 0) break;
        children.push(...batch);
      }
      await Promise.all(children.map((child) => list(child, `${prefix}${entry.name}/`)));
    }
  };
  await Promise.all(drop.entries.map((e) => list(e, '')));
  if (found.length + drop.files.length > maxFiles) throw tooMany();
  onFound(found.length);
  const out: PickedFile[] = [...drop.files];
  for (let i = 0; i < found.length; i += FILE_BATCH) {
    const files = await Promise.all(
      found.slice(i, i + FILE_BATCH).map(({ entry, path }) =>
        new Promise<File>((res, rej) => entry.file(res, rej)).then(
          (file) => ({ path, file }),
          (e: unknown) => {
            throw failed(e, entry);
          },
        ),
      ),
    );
    out.push(...files);
  }
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

/** What the training panel says while the worker loads a document's dataset: MNIST, or the learner's by name. */
export function loadingText(doc: { nodes: { type: string; params: Record<string, unknown> }[] }, list: DatasetInfo[], tr: { t(key: string, args?: Record<string, string | number>): string }): string {
  const id = imageDatasetOf(doc);
  if (id === 'mnist') return tr.t('training.status.loading');
  return tr.t('training.status.loadingOwn', { name: list.find((d) => d.id === id)?.name ?? id.replace(/^user:/, '') });
}

/** A document's dataset's class names (a folder's subfolders), for the labelled grid and its chooser; else undefined (digits). */
export function classNamesOf(doc: { nodes: { type: string; params: Record<string, unknown> }[] }, list: DatasetInfo[]): string[] | undefined {
  const id = imageDatasetOf(doc);
  return list.find((d) => d.id === id)?.classNames;
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
