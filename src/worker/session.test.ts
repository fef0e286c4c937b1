// The worker's session logic on the cpu backend: runs, steps, edits while paused, and rebuilds from the
// backend-independent checkpoint (the path a lost WebGL context takes) with weights and Adam state intact.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { presetDocument, syntheticImages } from '../testing/fixtures';
import { nodeYield } from '../train/run';
import type { FromWorker, SessionSettings } from './protocol';
import { TrainingSession, type SavedSession, type SessionHost } from './session';
import { loadQualityMeter } from '../cli/classifierFiles';
import type { QualityMeter } from '../eval/meter';

const settings: SessionSettings = { iterations: 30, batchSize: 16, sampleInterval: 10, checkEvery: 5, fixedNoise: true, gridSize: 16 };

function makeSession(host: Partial<SessionHost> = {}) {
  const posted: FromWorker[] = [];
  const session = new TrainingSession(
    { post: (m) => posted.push(m), yieldFn: nodeYield, useBackend: async (n) => ((await tf.setBackend(n)) ? n : 'cpu'), ...host },
    syntheticImages(64),
    settings,
  );
  // A wall-clock bound inside the test timeout: on a busy 2-core machine a 30-iteration run can take tens of seconds.
  const until = (pred: () => boolean) => vi.waitFor(() => expect(pred()).toBe(true), { timeout: 120_000, interval: 5 });
  return { session, posted, until };
}

const sameState = ({ state: a }: SavedSession, { state: b }: SavedSession) => {
  const weights = (s: SavedSession['state']) => [...s.generator, ...s.discriminator].map((t) => t.data);
  expect(weights(b).length).toBe(weights(a).length);
  weights(a).forEach((w, i) => expect(Array.from(weights(b)[i])).toEqual(Array.from(w)));
  a.dOptimizer.first.forEach((m, i) => expect(Array.from(b.dOptimizer.first[i].data)).toEqual(Array.from(m.data)));
  a.gOptimizer.second.forEach((m, i) => expect(Array.from(b.gOptimizer.second[i].data)).toEqual(Array.from(m.data)));
  expect(b.iteration).toBe(a.iteration);
  expect(b.rngState).toBe(a.rngState);
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('TrainingSession', () => {
  it('runs to the end with checkpoints, grids and a stable tensor count', async () => {
    const { session, posted, until } = makeSession();
    await session.start(presetDocument(), settings, false);
    await until(() => session.status === 'finished');
    const checkpoints = posted.filter((m) => m.type === 'checkpoint');
    expect(checkpoints.map((m) => m.type === 'checkpoint' && m.stats.iteration)).toEqual([10, 20, 30]);
    const samples = posted.filter((m) => m.type === 'sample');
    expect(samples).toHaveLength(3);
    expect(samples[0].type === 'sample' && [samples[0].count, samples[0].width, samples[0].height]).toEqual([16, 28, 28]);
    // After the first checkpoint (Adam moments now in the snapshot, the fixed z kept) the count must not grow.
    const tensors = posted.flatMap((m) => (m.type === 'progress' && m.iteration > 10 ? [m.numTensors] : []));
    expect(Math.max(...tensors)).toBe(Math.min(...tensors));
    await session.stop();
  });

  it('steps D then G as one iteration and reports the stage of each', async () => {
    const { session, posted } = makeSession();
    const doc = presetDocument();
    await session.start(doc, settings, true);
    await session.step('D', doc, settings);
    expect(session.iteration).toBe(0);
    await session.step('G', doc, settings);
    expect(session.iteration).toBe(1);
    await session.step('iteration', doc, settings);
    expect(session.iteration).toBe(2);
    const stages = posted.flatMap((m) => (m.type === 'stage' && m.stats ? [m.stage] : []));
    expect(stages).toEqual(['D', 'G', 'D', 'G']);
    await session.stop();
  });

  it('applies a new learning rate while paused and keeps the weights', async () => {
    const { session } = makeSession();
    const doc = presetDocument();
    await session.start(doc, settings, true);
    await session.step('iteration', doc, settings);
    const before = await session.capture();
    const edited = structuredClone(doc);
    edited.nodes.find((n) => n.id === 'd_loss')!.params.learningRate = 0.0002;
    expect(await session.applyEdits(edited, settings)).toBe(true);
    sameState(before, await session.capture());
    await session.stop();
  });

  it('refuses to carry weights into a graph of another shape', async () => {
    const { session, posted } = makeSession();
    const doc = presetDocument();
    await session.start(doc, settings, true);
    const edited = structuredClone(doc);
    edited.nodes.find((n) => n.id === 'd_dense1')!.params.units = 64;
    expect(await session.applyEdits(edited, settings)).toBe(false);
    expect(posted.at(-1)).toMatchObject({ type: 'error', msg: { key: 'training.graphChanged' } });
    await session.stop();
  });

  it('moves to another backend with its state, as often as asked, without leaving tensors behind', async () => {
    const { session } = makeSession();
    const doc = presetDocument();
    const baseline = tf.memory().numTensors;
    await session.start(doc, settings, true);
    const counts: number[] = [];
    for (let move = 0; move < 4; move++) {
      await session.step('iteration', doc, settings);
      const before = await session.capture();
      expect(await session.moveTo('cpu')).toBe('cpu');
      sameState(before, await session.capture());
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size, `numTensors after each move: ${counts}`).toBe(1);
    await session.stop();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('moves between Step D and Step G: the G step after the move completes the iteration, as without one', async () => {
    const doc = presetDocument();
    const straight = makeSession();
    await straight.session.start(doc, settings, true);
    await straight.session.step('D', doc, settings);
    await straight.session.step('G', doc, settings);
    const moved = makeSession();
    await moved.session.start(doc, settings, true);
    await moved.session.step('D', doc, settings);
    const before = await moved.session.capture();
    expect(before.state.phase).toBe('afterD');
    expect(await moved.session.moveTo('cpu')).toBe('cpu');
    sameState(before, await moved.session.capture());
    expect((await moved.session.capture()).state.phase).toBe('afterD');
    await moved.session.step('G', doc, settings);
    expect(moved.session.iteration).toBe(1);
    sameState(await straight.session.capture(), await moved.session.capture());
    await straight.session.stop();
    await moved.session.stop();
  });

  it('recovers from the last checkpoint on another backend and continues', async () => {
    const { session, posted, until } = makeSession();
    await session.start(presetDocument(), { ...settings, iterations: 1000 }, false);
    await until(() => posted.some((m) => m.type === 'checkpoint' && m.stats.iteration === 20));
    await until(() => session.iteration > 22);
    // What a lost context does: abandon the live models, rebuild from the checkpoint, go on.
    const result = await session.recover('cpu');
    expect(result?.iteration).toBeGreaterThanOrEqual(20);
    expect(session.status).toBe('running');
    const from = result!.iteration;
    await until(() => session.iteration > from + 5);
    await session.stop();
    expect(session.status).toBe('stopped');
  });

  describe('quality meter', () => {
    let meter: QualityMeter;
    beforeAll(async () => {
      meter = await loadQualityMeter();
    });
    const scored: SessionSettings = { ...settings, quality: { samples: 100, budget: 1 } };

    it('scores every sample interval and posts health, and training goes exactly as without scoring', async () => {
      const plain = makeSession();
      await plain.session.start(presetDocument(), settings, false);
      await plain.until(() => plain.session.status === 'finished');
      const { session, posted, until } = makeSession({ meter: async () => meter });
      await session.start(presetDocument(), scored, false);
      await until(() => session.status === 'finished');
      const scores = posted.flatMap((m) => (m.type === 'scores' ? [m] : []));
      expect(scores.map((m) => m.iteration)).toEqual([10, 20, 30]);
      for (const m of scores) {
        expect(m.scores.samples).toBe(100);
        expect(m.scores.digitShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        expect(m.scores.frechetDistance).toBeGreaterThan(0);
        expect(m.cost.ms).toBeGreaterThan(0);
        expect(m.perLabelAccuracy).toBeUndefined();
      }
      expect(scores[0].cost.trainingMs).toBeUndefined();
      expect(scores[1].cost.trainingMs).toBeGreaterThan(0);
      expect(posted.filter((m) => m.type === 'health').map((m) => m.type === 'health' && m.iteration)).toEqual([10, 20, 30]);
      // Scoring draws its own z: the trained weights, optimizer state and random state are those of the unscored run.
      sameState(await plain.session.capture(), await session.capture());
      // The meter's tensors are the worker's, loaded once; the run's count still stays flat.
      const tensors = posted.flatMap((m) => (m.type === 'progress' && m.iteration > 10 ? [m.numTensors] : []));
      expect(Math.max(...tensors)).toBe(Math.min(...tensors));
      await plain.session.stop();
      await session.stop();
    });

    it('with a 5% budget, skips intervals whose training time is short beside what a score costs', async () => {
      const { session, posted, until } = makeSession({ meter: async () => meter });
      // 10 iterations of this tiny graph take a few ms; scoring 100 images takes far longer (the probe before the
      // first score measures it), so the meter waits until 19× that cost has been spent training: not in 30 iterations.
      await session.start(presetDocument(), { ...scored, quality: { samples: 100, budget: 0.05 } }, false);
      await until(() => session.status === 'finished');
      expect(posted.filter((m) => m.type === 'scores')).toEqual([]);
      expect(posted.filter((m) => m.type === 'health')).toHaveLength(3);
      await session.stop();
    });

    it('reports a meter that fails to load instead of numbers', async () => {
      const { session, posted, until } = makeSession({ meter: () => Promise.reject(new Error('offline')) });
      await session.start(presetDocument(), scored, false);
      await until(() => session.status === 'finished');
      expect(posted.filter((m) => m.type === 'qualityOff')).toEqual([{ type: 'qualityOff', reason: { scope: 'ui', key: 'quality.loadFailed', args: { detail: 'offline' } } }]);
      await session.stop();
    });
  });
});
