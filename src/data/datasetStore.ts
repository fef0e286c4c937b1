// The learner's datasets kept in the browser (IndexedDB through idb-keyval), so a reload keeps them. Pixels and the
// index are written in one transaction: a write that fails (a full quota) leaves every stored dataset and the index as
// they were. Works in the page and in workers.
import { createStore, del, get, setMany, type UseStore } from 'idb-keyval';
import { DataError, errorName, formatBytes, type DatasetMeta, type PreparedDataset } from './dataset';

const INDEX_KEY = 'index';
const pixelsKey = (id: string) => `pixels:${id}`;

interface StoredPixels {
  pixels: Uint8Array;
  labels?: Uint8Array | Uint16Array;
}

/** The storage calls the store makes (idb-keyval's, bound to one database; tests may wrap them). */
export interface KeyValue {
  get<T>(key: string): Promise<T | undefined>;
  setMany(entries: [string, unknown][]): Promise<void>;
  del(key: string): Promise<void>;
}

export function idbKeyValue(store: UseStore = createStore('ganvas-datasets', 'datasets')): KeyValue {
  return { get: (k) => get(k, store), setMany: (e) => setMany(e, store), del: (k) => del(k, store) };
}

/** Free bytes the browser says it will still grant, or undefined where it cannot say. */
export type FreeSpace = () => Promise<number | undefined>;

export const browserFreeSpace: FreeSpace = async () => {
  const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => undefined);
  return estimate?.quota !== undefined && estimate.usage !== undefined ? estimate.quota - estimate.usage : undefined;
};

const isQuotaError = (e: unknown): boolean => {
  const name = (e as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
};

export const storedBytes = (ds: Pick<PreparedDataset, 'pixels' | 'labels'>): number => ds.pixels.byteLength + (ds.labels?.byteLength ?? 0);

export class DatasetStore {
  constructor(
    private readonly kv: KeyValue = idbKeyValue(),
    private readonly freeSpace: FreeSpace = browserFreeSpace,
  ) {}

  /** What is stored, oldest first. */
  async list(): Promise<DatasetMeta[]> {
    try {
      return (await this.kv.get<DatasetMeta[]>(INDEX_KEY)) ?? [];
    } catch (e) {
      throw new DataError('data.storageRead', { error: errorName(e) });
    }
  }

  async load(id: string): Promise<PreparedDataset | undefined> {
    const meta = (await this.list()).find((m) => m.id === id);
    if (!meta) return undefined;
    let stored: StoredPixels | undefined;
    try {
      stored = await this.kv.get<StoredPixels>(pixelsKey(id));
    } catch (e) {
      throw new DataError('data.storageRead', { error: errorName(e) });
    }
    if (!stored) return undefined;
    const size = meta.shape[0] * meta.shape[1] * meta.shape[2];
    return { meta, shape: meta.shape, count: meta.count, size, pixels: stored.pixels, labels: stored.labels, classNames: meta.classNames };
  }

  /**
   * Stores a prepared dataset beside the others (same id: replaced). Refuses up front when the browser says there is
   * not room, and turns a quota failure during the write into data.quota; either way nothing stored changes.
   */
  async save(ds: PreparedDataset): Promise<DatasetMeta[]> {
    const need = storedBytes(ds);
    const free = await this.freeSpace();
    if (free !== undefined && free < need) throw new DataError('data.quota', { need: formatBytes(need), free: formatBytes(Math.max(0, free)) });
    const index = (await this.list()).filter((m) => m.id !== ds.meta.id);
    const next = [...index, ds.meta];
    const value: StoredPixels = { pixels: ds.pixels, labels: ds.labels };
    try {
      await this.kv.setMany([
        [pixelsKey(ds.meta.id), value],
        [INDEX_KEY, next],
      ]);
    } catch (e) {
      if (isQuotaError(e)) throw new DataError('data.quota', { need: formatBytes(need), free: free === undefined ? '?' : formatBytes(Math.max(0, free)) });
      throw new DataError('data.storage', { error: errorName(e) });
    }
    return next;
  }

  /** Removes a dataset: the index first, so a failure part-way never lists a dataset without its pixels. */
  async remove(id: string): Promise<DatasetMeta[]> {
    const next = (await this.list()).filter((m) => m.id !== id);
    try {
      await this.kv.setMany([[INDEX_KEY, next]]);
      await this.kv.del(pixelsKey(id));
    } catch (e) {
      throw new DataError('data.storage', { error: errorName(e) });
    }
    return next;
  }
}
