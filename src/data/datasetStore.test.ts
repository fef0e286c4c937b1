// The browser's dataset store on a real IndexedDB implementation (fake-indexeddb): saved datasets survive a new
// store (a reload), and a full quota is a message that changes nothing.
import 'fake-indexeddb/auto';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { engineMessage } from '../i18n/messages';
import { DataError, type PreparedDataset } from './dataset';
import type { ImageShape } from './imageSource';
import { DatasetStore, idbKeyValue, type KeyValue } from './datasetStore';

function dataset(id: string, count: number, fill: number): PreparedDataset {
  const shape: ImageShape = [4, 4, 3];
  const pixels = new Uint8Array(count * 48).fill(fill);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 2);
  const meta = {
    id,
    name: id.slice(5),
    source: 'test',
    shape,
    count,
    classNames: ['a', 'b'],
    labelCounts: [Math.ceil(count / 2), Math.floor(count / 2)],
    report: { files: count, images: count, notImages: { count: 0, examples: [] }, skipped: [], resized: 0, sizes: {}, converted: 0, ms: 1 },
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  return { meta, shape, count, size: 48, pixels, labels, classNames: meta.classNames };
}

let db = 0;
const freshDb = () => createStore(`ganvas-test-${db++}`, 'datasets');

describe('DatasetStore', () => {
  it('keeps datasets across a reload (a new store on the same database), and removes them', async () => {
    const idb = freshDb();
    const a = new DatasetStore(idbKeyValue(idb), async () => undefined);
    await a.save(dataset('user:letters', 10, 7));
    await a.save(dataset('user:faces', 6, 9));
    const reloaded = new DatasetStore(idbKeyValue(idb), async () => undefined);
    expect((await reloaded.list()).map((m) => m.id)).toEqual(['user:letters', 'user:faces']);
    const letters = await reloaded.load('user:letters');
    expect(letters!.pixels).toBeInstanceOf(Uint8Array);
    expect(letters!.pixels.length).toBe(480);
    expect(letters!.pixels.every((v) => v === 7)).toBe(true);
    expect(Array.from(letters!.labels!)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    expect(letters!.shape).toEqual([4, 4, 3]);
    await reloaded.remove('user:letters');
    expect((await reloaded.list()).map((m) => m.id)).toEqual(['user:faces']);
    expect(await reloaded.load('user:letters')).toBeUndefined();
  });

  it('refuses up front when the browser says there is no room: message with sizes, nothing changed', async () => {
    const idb = freshDb();
    const store = new DatasetStore(idbKeyValue(idb), async () => 100);
    const e = await store.save(dataset('user:big', 10, 1)).catch((x) => x);
    expect(e).toBeInstanceOf(DataError);
    expect(engineMessage(e.code, e.args)).toBe(
      'Browser storage is full: the dataset needs 490 bytes, and 100 bytes is free. Nothing was saved and the datasets you had are unchanged; delete one or free space in the browser.',
    );
    expect(await store.list()).toEqual([]);
  });

  it('a quota error during the write leaves the stored datasets and the index as they were', async () => {
    const idb = freshDb();
    const real = idbKeyValue(idb);
    let full = false;
    const kv: KeyValue = {
      ...real,
      setMany: async (entries) => {
        if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return real.setMany(entries);
      },
    };
    const store = new DatasetStore(kv, async () => undefined);
    await store.save(dataset('user:kept', 4, 5));
    full = true;
    const e = await store.save(dataset('user:kept', 8, 6)).catch((x) => x); // replacing it fails
    expect(e).toBeInstanceOf(DataError);
    expect(e.code).toBe('data.quota');
    const e2 = await store.save(dataset('user:new', 8, 6)).catch((x) => x);
    expect(e2.code).toBe('data.quota');
    const after = new DatasetStore(real, async () => undefined);
    expect((await after.list()).map((m) => [m.id, m.count])).toEqual([['user:kept', 4]]);
    expect((await after.load('user:kept'))!.pixels.every((v) => v === 5)).toBe(true);
    expect(await after.load('user:new')).toBeUndefined();
  });
});
