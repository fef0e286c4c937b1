// The runs library's storage (IndexedDB through fake-indexeddb) and its one-file export: a run survives a reload, is
// renamed and deleted; a full quota keeps every run (listed, exportable) and says so; a run file round-trips exactly
// and a malformed one is refused with a message.
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { clear, createStore } from 'idb-keyval';
import { get } from 'svelte/store';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '../../io/checkpoint';
import { captureCheckpoint } from '../../train/checkpoint';
import { compileGan } from '../../train/compile';
import { GanTrainer } from '../../train/trainer';
import { presetDocument, syntheticImages } from '../../testing/fixtures';
import { t } from '../../i18n/ui';
import { deleteRun, loadRuns, readRun, renameRun, resetRunStoreForTests, runs, runsProblem, saveRun, unsavedRuns } from './runStore';
import { decodeRunFile, encodeRunFile, runFileName } from './runFile';
import { quantizeGrid, thinEvenly, type RunRecord } from './types';

let checkpointBytes: Uint8Array;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const r = compileGan(presetDocument(), { seed: 7 });
  if (!r.ok) throw new Error('preset does not compile');
  const trainer = new GanTrainer(r.gan, syntheticImages(), 8, 5);
  checkpointBytes = encodeCheckpoint(await captureCheckpoint(presetDocument(), trainer));
  r.gan.dispose();
});

function run(id: string, name: string, createdAt = '2026-12-01T10:00:00.000Z'): RunRecord {
  const grid = quantizeGrid({ iteration: 20, width: 28, height: 28, count: 16, channels: 1, pixels: Float32Array.from({ length: 16 * 784 }, (_, i) => (i % 97) / 96) });
  return {
    id,
    name,
    createdAt,
    updatedAt: createdAt,
    doc: presetDocument(),
    settings: { iterations: 40, batchSize: 16, sampleInterval: 20, checkEvery: 10, fixedNoise: false, gridSize: 16 },
    backend: 'wasm',
    status: 'finished',
    iteration: 40,
    history: [
      { iteration: 20, dLoss: 0.5, acc: 0.75, gLoss: 1.25 },
      { iteration: 40, dLoss: 0.25, acc: 0.875, gLoss: 2.5 },
    ],
    fine: [{ iteration: 10, dLoss: 0.625, acc: 0.5, gLoss: Number.NaN }],
    scores: [{ iteration: 20, scores: { samples: 16, frechetDistance: 120.5, inceptionScore: 2.25, digitShares: [0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0], digitsCovered: 2, meanConfidence: 0.75 } }],
    lastGrid: grid,
    checkpointIteration: 40,
    grids: [grid],
    checkpoint: checkpointBytes,
  };
}

// Vitest's deep equality walks typed arrays value by value (seconds for a checkpoint); Buffer compares them at once.
const sameBytes = (a: Uint8Array | null | undefined, b: Uint8Array | null | undefined) => !!a && !!b && Buffer.from(a).equals(Buffer.from(b));

/** Makes every IndexedDB write fail the way a full quota does (Chromium's QuotaExceededError). */
function fillQuota(): () => void {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function () {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  return () => void (IDBObjectStore.prototype.put = put);
}

describe('runs library storage', () => {
  beforeEach(async () => {
    resetRunStoreForTests();
    await clear(createStore('ganvas-runs', 'runs'));
  });

  it('keeps a run across a reload, renames it and deletes it', async () => {
    expect(await saveRun(run('a', 'first', '2026-12-01T10:00:00.000Z'))).toBe(true);
    expect(await saveRun(run('b', 'second', '2026-12-01T11:00:00.000Z'))).toBe(true);
    resetRunStoreForTests();
    await loadRuns();
    expect(get(runs).map((r) => r.name)).toEqual(['second', 'first']);
    // The list holds summaries only; the grids and checkpoint come with readRun.
    expect(get(runs)[0]).not.toHaveProperty('checkpoint');
    const a = await readRun('a');
    expect(sameBytes(a?.checkpoint, checkpointBytes)).toBe(true);
    expect(sameBytes(a?.grids[0].pixels, run('a', 'x').grids[0].pixels)).toBe(true);
    expect(await renameRun('a', 'renamed')).toBe(true);
    resetRunStoreForTests();
    await loadRuns();
    expect(get(runs).map((r) => r.name)).toEqual(['second', 'renamed']);
    expect(await deleteRun('b')).toBe(true);
    resetRunStoreForTests();
    await loadRuns();
    expect(get(runs).map((r) => r.name)).toEqual(['renamed']);
    expect(await readRun('b')).toBeNull();
  });

  it('on a full quota keeps every run: stored ones untouched, the new one in memory, listed, exportable, and says so', async () => {
    await saveRun(run('a', 'first', '2026-12-01T10:00:00.000Z'));
    const restore = fillQuota();
    try {
      expect(await saveRun(run('b', 'second', '2026-12-01T11:00:00.000Z'))).toBe(false);
      expect(get(runsProblem)?.key).toBe('runs.storageFull');
      expect(t(get(runsProblem)!.key, get(runsProblem)!.args)).toBe(
        'The runs library could not save "second": The quota has been exceeded. Nothing was deleted. The run stays on this page until you close it: export it, or delete old runs to make room.',
      );
      expect([...get(unsavedRuns)]).toEqual(['b']);
      await loadRuns();
      expect(get(runs).map((r) => r.name)).toEqual(['second', 'first']);
      const b = await readRun('b');
      expect(decodeRunFile(encodeRunFile(b!)).ok).toBe(true);
      // Renaming the stored run fails too, and leaves it as it was.
      expect(await renameRun('a', 'nope')).toBe(false);
    } finally {
      restore();
    }
    // Room again: the next save writes the whole unsaved run and clears the message.
    expect(await saveRun({ ...(await readRun('b'))!, iteration: 41 }, true)).toBe(true);
    expect(get(runsProblem)).toBeNull();
    expect([...get(unsavedRuns)]).toEqual([]);
    resetRunStoreForTests();
    await loadRuns();
    expect(get(runs).map((r) => r.name)).toEqual(['second', 'first']);
    expect(sameBytes((await readRun('b'))?.checkpoint, checkpointBytes)).toBe(true);
  });
});

describe('run files', () => {
  it('round-trip a run: name, history, scores, grids, checkpoint', () => {
    const r = run('a', '고전 GAN · 실행 1');
    const back = decodeRunFile(encodeRunFile(r));
    if (!back.ok) throw new Error(JSON.stringify(back.error));
    const { id: _id, grids, checkpoint, lastGrid, ...rest } = r;
    const { grids: grids2, checkpoint: checkpoint2, lastGrid: lastGrid2, ...rest2 } = back.run;
    // JSON has no NaN: the lost fine value comes back as NaN too.
    expect(rest2).toEqual(rest);
    expect(sameBytes(checkpoint2, checkpoint)).toBe(true);
    expect(sameBytes(grids2[0].pixels, grids[0].pixels) && sameBytes(lastGrid2?.pixels, lastGrid?.pixels)).toBe(true);
    expect({ ...grids2[0], pixels: null }).toEqual({ ...grids[0], pixels: null });
    expect(runFileName(r.name)).toBe('고전-GAN-실행-1.ganvas-run.json');
  });

  it('refuses malformed files with a message naming what is wrong', () => {
    const good = JSON.parse(encodeRunFile(run('a', 'x'))) as Record<string, unknown>;
    const msg = (text: string) => {
      const r = decodeRunFile(text);
      if (r.ok) throw new Error('accepted');
      return t(r.error.key, r.error.args);
    };
    expect(msg('{not json')).toMatch(/^the file is not JSON/);
    expect(msg(JSON.stringify({ format: 'ganvas-graph' }))).toBe('it is not a Ganvas run file.');
    expect(msg(JSON.stringify({ ...good, version: 9 }))).toBe('it was written by a newer Ganvas (run file version 9).');
    expect(msg(JSON.stringify({ ...good, history: [{ iteration: -1, dLoss: 1, acc: 1, gLoss: 1 }] }))).toMatch(/^history\.0\.iteration: /);
    expect(msg(JSON.stringify({ ...good, name: '  ' }))).toMatch(/^name: /);
    expect(msg(JSON.stringify({ ...good, doc: { format: 'ganvas-graph', version: 1, nodes: 3 } }))).toMatch(/^its graph is not valid/);
    const grids = good.grids as { pixels: string }[];
    expect(msg(JSON.stringify({ ...good, grids: [{ ...grids[0], pixels: 'AAAA' }] }))).toBe('sample grid 0 does not match its size.');
    const ckpt = good.checkpoint as { bytes: string };
    expect(msg(JSON.stringify({ ...good, checkpoint: { ...ckpt, bytes: ckpt.bytes.slice(0, 40) } }))).toMatch(/^its checkpoint cannot be read/);
  });

  it('thins grids evenly and keeps the first and last', () => {
    expect(thinEvenly([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)).toEqual([1, 5, 9]);
    expect(thinEvenly([1, 2], 3)).toEqual([1, 2]);
  });
});
