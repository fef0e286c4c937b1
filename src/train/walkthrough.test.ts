import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGan, type CompiledGan } from './compile';
import { GanTrainer } from './trainer';
import { captureState, restoreState } from './state';
import { presetDocument, syntheticImages } from '../testing/fixtures';
import { WALK_STAGES, walkIteration, type WalkStage } from './walkthrough';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function compile(): CompiledGan {
  const r = compileGan(presetDocument(), { seed: 3 });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.gan;
}
const weights = (gan: CompiledGan) => [...gan.gVariables, ...gan.dVariables].map((v) => Array.from(v.dataSync()));

describe('walkIteration', () => {
  it('yields the six stages with their values and trains exactly like trainer.step()', async () => {
    const a = compile();
    const b = compile();
    const ta = new GanTrainer(a, syntheticImages(), 32, 11);
    const tb = new GanTrainer(b, syntheticImages(), 32, 11);
    const stages: WalkStage[] = [];
    for await (const s of walkIteration(ta)) stages.push(s);
    expect(stages.map((s) => s.id)).toEqual([...WALK_STAGES]);
    expect(stages[0].images?.count).toBe(16);
    expect(stages[1].images?.pixels.length).toBe(16 * 784);
    expect(Math.abs(stages[1].zMean!)).toBeLessThan(0.1);
    expect(stages[1].zStd!).toBeGreaterThan(0.9);
    for (const k of ['dLossReal', 'accReal'] as const) expect(Number.isFinite(stages[2][k])).toBe(true);
    for (const k of ['dLossFake', 'accFake', 'dLoss', 'acc'] as const) expect(Number.isFinite(stages[3][k])).toBe(true);
    expect(Number.isFinite(stages[4].gLoss)).toBe(true);
    expect(stages[5].line).toMatch(/^1 \[D loss: \d+\.\d{6}, acc\.: \d+\.\d{2}%\] \[G loss: \d+\.\d{6}\]$/);
    expect(ta.iteration).toBe(1);

    const ref = tb.step();
    const [dLoss, gLoss] = [(await ref.dLoss.data())[0], (await ref.gLoss.data())[0]];
    tf.dispose([ref.dLoss, ref.acc, ref.gLoss]);
    expect(stages[3].dLoss).toBeCloseTo(dLoss, 5);
    expect(stages[4].gLoss).toBeCloseTo(gLoss, 5);
    expect(weights(a)).toEqual(weights(b));
    // Once Adam's moments exist, a further walk leaves no tensor behind.
    const before = tf.memory().numTensors;
    for await (const s of walkIteration(ta)) void s;
    expect(tf.memory().numTensors).toBe(before);
    expect(ta.iteration).toBe(2);
    ta.dispose();
    tb.dispose();
    a.dispose();
    b.dispose();
  });

  it('frees its tensors when abandoned part-way', async () => {
    const gan = compile();
    const t = new GanTrainer(gan, syntheticImages(), 16, 2);
    t.step();
    // Count from 0 again (the count moves only with a state put back).
    restoreState(t, { ...(await captureState(t)), iteration: 0 });
    const before = tf.memory().numTensors;
    const walk = walkIteration(t);
    await walk.next();
    await walk.next();
    await walk.return(undefined as never);
    expect(tf.memory().numTensors).toBe(before);
    expect(t.iteration).toBe(0);
    t.dispose();
    gan.dispose();
  });
});
