import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeCheckpoint } from '../io/checkpoint';
import { presetDocument, syntheticImages } from '../testing/fixtures';
import type { FromWorker, SessionSettings } from './protocol';
import { TrainingSession } from './session';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const settings = (iterations: number): SessionSettings => ({ iterations, batchSize: 8, sampleInterval: 2, checkEvery: 2, fixedNoise: true, gridSize: 4 });

function host(posted: FromWorker[]) {
  return { post: (m: FromWorker) => void posted.push(m), yieldFn: () => new Promise<void>((r) => setImmediate(r)), useBackend: async () => 'cpu' as const };
}

/** Resolves once the session's messages satisfy `ok` (the run loop is in the background); bounded well inside the test timeout. */
const until = (posted: FromWorker[], ok: (m: FromWorker[]) => boolean) => vi.waitFor(() => expect(ok(posted)).toBe(true), { timeout: 120_000, interval: 5 });

describe('training recovery in the worker', () => {
  it('posts a decodable checkpoint at every sample interval, and a restored session runs on from its iteration', async () => {
    const posted: FromWorker[] = [];
    const session = new TrainingSession(host(posted), syntheticImages(), settings(4));
    await session.start(presetDocument(), settings(4), false);
    await until(posted, (p) => p.some((m) => m.type === 'status' && m.status === 'finished') && p.filter((m) => m.type === 'checkpointData').length === 2);
    const ckpts = posted.filter((m): m is Extract<FromWorker, { type: 'checkpointData' }> => m.type === 'checkpointData');
    expect(ckpts.map((c) => c.iteration)).toEqual([2, 4]);
    const decoded = decodeCheckpoint(ckpts[0].bytes);
    if (!decoded.ok) throw new Error(decoded.error);
    expect(decoded.checkpoint.iteration).toBe(2);
    expect(decoded.checkpoint.history.map((s) => s.iteration)).toEqual([2]);
    await session.stop();

    // A fresh session (as after a reload) continues from iteration 2, not 0, with the earlier history.
    const again: FromWorker[] = [];
    const resumed = new TrainingSession(host(again), syntheticImages(), settings(6));
    await resumed.restore(decoded.checkpoint, settings(6), false);
    await until(again, (p) => p.some((m) => m.type === 'status' && m.status === 'finished'));
    const progress = again.filter((m) => m.type === 'progress').map((m) => (m as { iteration: number }).iteration);
    expect(progress).toEqual([4, 6]);
    const last = again.filter((m) => m.type === 'checkpointData').at(-1) as Extract<FromWorker, { type: 'checkpointData' }>;
    const end = decodeCheckpoint(last.bytes);
    if (!end.ok) throw new Error(end.error);
    expect(end.checkpoint.history.map((s) => s.iteration)).toEqual([2, 4, 6]);
    // On cpu the resumed run is the uninterrupted one, bit for bit: same iteration-4 weights, moments and losses.
    const resumedAt4 = decodeCheckpoint((again.filter((m) => m.type === 'checkpointData') as Extract<FromWorker, { type: 'checkpointData' }>[]).find((c) => c.iteration === 4)!.bytes);
    const straightAt4 = decodeCheckpoint(ckpts[1].bytes);
    if (!resumedAt4.ok || !straightAt4.ok) throw new Error('checkpoint did not decode');
    const tensors = (c: typeof resumedAt4.checkpoint) => [...c.generator, ...c.discriminator, ...c.dOptimizer.first, ...c.dOptimizer.second, ...c.gOptimizer.first, ...c.gOptimizer.second].map((t) => Array.from(t.data));
    expect(tensors(resumedAt4.checkpoint)).toEqual(tensors(straightAt4.checkpoint));
    expect(resumedAt4.checkpoint.history).toEqual(straightAt4.checkpoint.history);
    await resumed.stop();
  });
});
