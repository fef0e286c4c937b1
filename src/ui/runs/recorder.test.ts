// The recorder on a real TrainingClient's stores (no worker): a fresh start opens a run, what the session reports is
// mirrored into it and saved when it finishes, a rollback trims it, and the next start is a second run.
import 'fake-indexeddb/auto';
import { clear, createStore } from 'idb-keyval';
import { get, writable } from 'svelte/store';
import { afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { presetDocument } from '../../testing/fixtures';
import { sessionSettings, TrainingClient } from '../training/trainingClient';
import { currentRunId, flushRuns, recordRuns, resetRecorderForTests } from './recorder';
import { loadRuns, readRun, resetRunStoreForTests, runs } from './runStore';
import type { ScorePoint } from './types';

const g = globalThis as unknown as { window?: unknown; localStorage?: unknown };
const stored = new Map<string, string>();
// The page globals the recorder touches (pagehide, the current run's id), in Node.
g.window ??= { addEventListener() {}, removeEventListener() {} };
g.localStorage ??= { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) };
beforeAll(async () => {
  resetRunStoreForTests();
  await clear(createStore('ganvas-runs', 'runs'));
});

const grid = (iteration: number, v: number) => ({ iteration, width: 2, height: 2, count: 1, channels: 1, pixels: new Float32Array([v, v, v, 1]) });
const stats = (iteration: number) => ({ iteration, dLoss: 0.5, acc: 0.75, gLoss: 1 + iteration / 100 });

describe('run recorder', () => {
  it('records a run from start to finish, then a second one', async () => {
    const scores = writable<ScorePoint[]>([]);
    const stop = recordRuns(scores);
    const client = new TrainingClient();
    onTestFinished(() => {
      stop();
      client.dispose();
    });
    const doc = presetDocument();
    client.started.set({ doc, settings: sessionSettings(doc), backend: 'wasm' });
    const id = get(currentRunId);
    expect(id).toBeTruthy();
    client.status.set('running');
    client.history.set([stats(20)]);
    client.fine.set([stats(10), stats(20)]);
    client.grids.set([grid(20, 0.5) as never]);
    scores.set([{ iteration: 20, scores: { samples: 16, frechetDistance: 90, inceptionScore: 2, digitShares: [], digitsCovered: 3, meanConfidence: 0.6 } }]);
    // A NaN rollback to iteration 20 and a replay: the client trims its stores, the run follows.
    client.history.set([stats(20), stats(40)]);
    client.grids.set([grid(20, 0.5), grid(40, 1)] as never);
    // The worker's checkpoint: kept, with the graph it was trained with (edited while paused: a learning rate).
    const paused = presetDocument();
    paused.nodes.find((n) => n.id === 'd_loss')!.params.learningRate = 0.0005;
    (client as unknown as { receive(m: unknown): void }).receive({ type: 'checkpointData', iteration: 40, doc: paused, bytes: new Uint8Array([1, 2, 3]) });
    client.iteration.set(40);
    client.status.set('finished');
    await flushRuns();
    resetRunStoreForTests();
    await loadRuns();
    const [summary] = get(runs);
    expect(summary).toMatchObject({ id, name: 'Classic MNIST GAN (GANs in Action, ch. 3) · run 1', status: 'finished', iteration: 40, backend: 'wasm' });
    expect(summary.history.map((s) => s.iteration)).toEqual([20, 40]);
    expect(summary.scores?.map((p) => p.scores.frechetDistance)).toEqual([90]);
    const rec = await readRun(id!);
    expect(rec?.grids.map((x) => [x.iteration, ...x.pixels])).toEqual([
      [20, 128, 128, 128, 255],
      [40, 255, 255, 255, 255],
    ]);
    expect(rec?.lastGrid?.iteration).toBe(40);
    expect([rec?.checkpointIteration, ...(rec?.checkpoint ?? [])]).toEqual([40, 1, 2, 3]);
    expect(rec?.doc.nodes.find((n) => n.id === 'd_loss')!.params.learningRate).toBe(0.0005);

    // Edits after the run do not change the run's graph; the next start is a new run.
    const edited = presetDocument();
    edited.nodes.find((n) => n.id === 'g_dense1')!.params.units = 256;
    client.started.set({ doc: edited, settings: sessionSettings(edited), backend: 'wasm' });
    client.history.set([]);
    client.status.set('running');
    client.history.set([stats(20)]);
    client.status.set('stopped');
    // The checkpoint read back after the last iteration, and the last score, come just after the stop.
    (client as unknown as { receive(m: unknown): void }).receive({ type: 'checkpointData', iteration: 20, doc: edited, bytes: new Uint8Array([9]) });
    scores.set([{ iteration: 20, scores: { samples: 16, frechetDistance: 80, inceptionScore: 2, digitShares: [], digitsCovered: 3, meanConfidence: 0.6 } }]);
    await flushRuns();
    expect(get(runs)[0]).toMatchObject({ status: 'stopped', checkpointIteration: 20 });
    expect(get(runs)[0].scores?.map((p) => p.scores.frechetDistance)).toEqual([80]);
    expect(get(runs).map((r) => r.name)).toEqual(['Classic MNIST GAN (GANs in Action, ch. 3) · run 2', 'Classic MNIST GAN (GANs in Action, ch. 3) · run 1']);
    expect(get(runs)[0].doc.nodes.find((n) => n.id === 'g_dense1')!.params.units).toBe(256);
    expect(get(runs)[1].doc.nodes.find((n) => n.id === 'g_dense1')!.params.units).toBe(128);
    expect(get(runs)[1].history).toHaveLength(2);
  });
});

describe('run recorder and the recovery bar', () => {
  let client: TrainingClient;
  let stop: () => void;
  beforeEach(async () => {
    resetRunStoreForTests();
    resetRecorderForTests();
    await clear(createStore('ganvas-runs', 'runs'));
    stop = recordRuns();
    client = new TrainingClient();
  });
  afterEach(() => {
    stop();
    client.dispose();
  });
  const checkpoint = (iteration: number, doc = presetDocument()) =>
    (client as unknown as { receive(m: unknown): void }).receive({ type: 'checkpointData', iteration, doc, bytes: new Uint8Array([iteration]) });

  it('a checkpoint file of another run, opened after a run finished, becomes a new run and leaves the finished one as it was', async () => {
    const doc = presetDocument();
    client.started.set({ doc, settings: sessionSettings(doc), backend: 'wasm' });
    client.status.set('running');
    client.history.set([stats(20)]);
    client.grids.set([grid(20, 0.5)] as never);
    checkpoint(20);
    client.status.set('finished');
    await flushRuns();
    const finished = get(currentRunId)!;
    // The recovery bar puts back another run's checkpoint: its own history, then the worker trains on.
    client.history.set([{ iteration: 100, dLoss: 0.1, acc: 0.9, gLoss: 3 }]);
    client.grids.set([]);
    expect(get(currentRunId)).toBeNull();
    client.status.set('running');
    client.history.set([{ iteration: 100, dLoss: 0.1, acc: 0.9, gLoss: 3 }, stats(120)]);
    checkpoint(120);
    client.status.set('stopped');
    await flushRuns();
    expect(get(runs)).toHaveLength(2);
    const other = get(runs).find((r) => r.id !== finished)!;
    expect(other.history.map((s) => s.iteration)).toEqual([100, 120]);
    expect(other.checkpointIteration).toBe(120);
    const kept = await readRun(finished);
    expect(kept?.history.map((s) => s.iteration)).toEqual([20]);
    expect(kept?.status).toBe('finished');
  });

  it('after a reload, resuming the offered checkpoint goes on recording the run it came from, grids and all', async () => {
    const doc = presetDocument();
    client.started.set({ doc, settings: sessionSettings(doc), backend: 'wasm' });
    client.status.set('running');
    client.history.set([stats(20), stats(40)]);
    client.grids.set([grid(20, 0.5), grid(40, 0.5)] as never);
    checkpoint(40);
    client.status.set('paused');
    await flushRuns();
    const id = get(currentRunId)!;
    // A reload: a fresh page with the library read back and no current run; the recovery bar restores iteration 40.
    stop();
    resetRecorderForTests();
    const restart = recordRuns();
    resetRunStoreForTests();
    await loadRuns();
    client.status.set('idle');
    client.history.set([stats(20), stats(40)]);
    client.grids.set([]);
    client.status.set('running');
    client.history.set([stats(20), stats(40), stats(60)]);
    client.grids.set([grid(60, 1)] as never);
    checkpoint(60);
    client.status.set('finished');
    await flushRuns();
    restart();
    stop = () => {};
    expect(get(runs).map((r) => r.id)).toEqual([id]);
    const rec = await readRun(id);
    expect(rec?.history.map((s) => s.iteration)).toEqual([20, 40, 60]);
    expect(rec?.grids.map((g) => g.iteration)).toEqual([20, 40, 60]);
    expect([rec?.checkpointIteration, rec?.status]).toEqual([60, 'finished']);
  });
});
