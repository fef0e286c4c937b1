// The DCGAN on the cpu backend: batch norm as the book's loop runs on Keras 3, stage isolation of every variable
// (moving statistics included), seeded repeatability with dropout. Stock tfjs cpu needs ~25 s for one
// Conv2DBackpropFilter at the chapter 4 widths, so the training tests use the same graph with each convolution's
// filters cut to a few (`narrowDcgan`): the same nodes, sockets, batch-norm layers and code paths.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGan, countParameters, type CompiledGan } from './compile';
import { FAKES_ON_BATCH_STATS, FROZEN_D_ON_BATCH_STATS, GanTrainer, INFERENCE, STAGE_MODES, disposeStats, readStats } from './trainer';
import type { ForwardOptions } from './compile';
import type { ForwardContext, NetworkMode } from '../nodes/types';
import { Rng } from './random';
import { captureState, restoreState } from './state';
import { captureCheckpoint, restoreCheckpoint } from './checkpoint';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint';
import { binaryCrossEntropyConstantLabel } from './losses';
import { batchNorm } from '../nodes/batchNorm';
import { dropout } from '../nodes/dropout';
import { defaultParams, type GraphDocument } from '../graph/document';
import { presetDocument, syntheticImages } from '../testing/fixtures';
import { expectStageIsolation } from '../testing/stageIsolation';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TRAINING = STAGE_MODES.dStage.discriminator;
const FROZEN = STAGE_MODES.gStage.discriminator;
type PassMode = NetworkMode;

/** Forward options and node contexts for tests: seeded draws, moving-statistic updates held until `applyUpdates`. */
class ForwardContexts {
  private pending: [tf.Variable, tf.Tensor][] = [];
  constructor(private readonly rng: Rng) {}
  options(mode: PassMode): ForwardOptions {
    return { ...mode, seed: () => this.rng.nextUint32(), assignAfter: (v, x) => void this.pending.push([v, tf.keep(x)]) };
  }
  of(mode: PassMode): ForwardContext {
    const o = this.options(mode);
    return { tf, training: o.training, updateStats: o.updateStats, frozen: o.frozen ?? false, seed: o.seed!, assignAfter: o.assignAfter! };
  }
  applyUpdates(): void {
    for (const [v, x] of this.pending) {
      v.assign(x);
      x.dispose();
    }
    this.pending = [];
  }
}

/** The ch. 4 preset with 4 filters per hidden convolution (and a 7×7×4 reshape), optionally a Dropout before D's Flatten. */
function narrowDcgan(options: { dropout?: number; frozenBatchNorm?: 'moving' | 'batch'; fakesBatchNorm?: 'moving' | 'batch' } = {}): GraphDocument {
  const doc = presetDocument('dcgan-mnist');
  for (const n of doc.nodes) {
    if (n.type.startsWith('Conv') && n.id !== 'g_convt3') n.params.filters = 4;
    if (n.id === 'g_dense') n.params.units = 7 * 7 * 4;
    if (n.id === 'g_reshape') n.params.targetShape = [7, 7, 4];
    if (n.id === 'gan' && options.frozenBatchNorm) n.params.frozenBatchNorm = options.frozenBatchNorm;
    if (n.id === 'gan' && options.fakesBatchNorm) n.params.fakesBatchNorm = options.fakesBatchNorm;
  }
  if (options.dropout !== undefined) {
    doc.nodes.push({ id: 'd_drop', type: 'Dropout', params: { rate: options.dropout }, position: { x: 0, y: 0 } });
    const e = doc.edges.find((x) => x.to.node === 'd_flatten')!;
    doc.edges.push({ id: 'e_drop', from: { node: 'd_drop', socket: 'out' }, to: { node: 'd_flatten', socket: 'in' } });
    e.to = { node: 'd_drop', socket: 'in' };
  }
  return doc;
}

function compile(doc: GraphDocument, seed = 3): CompiledGan {
  const r = compileGan(doc, { seed });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.gan;
}

const moving = (names: string[]) => names.filter((n) => n.includes('moving_'));

describe('the full-size DCGAN compiles to the book\'s models', () => {
  it('has 1,637,121 and 95,489 weights in its tfjs models, of which 1,636,737 and 95,105 are trained', () => {
    const gan = compile(presetDocument('dcgan-mnist'));
    expect(gan.generator.countParams()).toBe(1_637_121);
    expect(gan.discriminator.countParams()).toBe(95_489);
    expect(countParameters(gan.gVariables)).toBe(1_636_737);
    expect(countParameters(gan.dVariables)).toBe(95_105);
    expect(gan.generator.outputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(gan.generator.layers.map((l) => l.outputShape)).toContainEqual([null, 14, 14, 128]);
    expect(gan.discriminator.layers.map((l) => l.outputShape)).toContainEqual([null, 4, 4, 128]);
    // The preset's frozen D normalizes on the fake batch's statistics (the book's Keras 2 behaviour): on Keras 3's
    // moving statistics the book's loop collapses (the combiner's teaching text has the measurements).
    expect(gan.frozenBatchNorm).toBe('batch');
    // and G makes D's fakes on the fake batch's statistics: with generator.predict's, G's moving averages lag for
    // hundreds of iterations and D wins from the start (the same teaching text).
    expect(gan.fakesBatchNorm).toBe('batch');
    gan.dispose();
  });
});

describe('lean forward = the tfjs-layers models, in both batch-norm modes', () => {
  it('inference mode uses the moving statistics; training mode the batch statistics; values and gradients agree', () => {
    const gan = compile(narrowDcgan());
    const ctxs = new ForwardContexts(new Rng(1));
    const z = tf.randomNormal([4, gan.zSize], 0, 1, 'float32', 3);
    // Move the moving statistics off their initial 0 / 1 first, so inference differs from training visibly.
    const trainer = new GanTrainer(gan, syntheticImages(), 4, 2);
    for (let i = 0; i < 2; i++) disposeStats(trainer.step());
    const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    const [lInf, kInf, lTrain, kTrain] = tf.tidy(() => [
      gan.gForward(z, ctxs.options(INFERENCE)),
      gan.generator.predict(z) as tf.Tensor,
      gan.gForward(z, ctxs.options({ training: true, updateStats: false })),
      gan.generator.apply(z, { training: true }) as tf.Tensor,
    ]);
    expect(maxDiff(lInf, kInf)).toBeLessThan(1e-5);
    expect(maxDiff(lTrain, kTrain)).toBeLessThan(1e-5);
    expect(maxDiff(lInf, lTrain)).toBeGreaterThan(1e-3);
    // Gradients of every trained G variable through the batch statistics.
    const grads = (f: () => tf.Scalar) => {
      const { value, grads } = tf.variableGrads(f, gan.gVariables);
      const out = gan.gVariables.map((v) => (grads[v.name].dataSync() as Float32Array).slice());
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    };
    const lean = grads(() => binaryCrossEntropyConstantLabel(1, gan.dForward(gan.gForward(z, ctxs.options(STAGE_MODES.gStage.generator)), ctxs.options(FROZEN))));
    const layers = grads(() => binaryCrossEntropyConstantLabel(1, gan.discriminator.apply(gan.generator.apply(z, { training: true }), { training: false }) as tf.Tensor));
    let worst = 0;
    lean.forEach((g, i) => g.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - layers[i][j]) / (1e-6 + 1e-4 * Math.abs(x))))));
    expect(worst).toBeLessThan(1);
    ctxs.applyUpdates(); // the lean TRAINING pass handed G's updates over: apply them to leave nothing pending
    tf.dispose([z, lInf, kInf, lTrain, kTrain]);
    trainer.dispose();
    gan.dispose();
  });

  it('moving statistics follow Keras 3: moving·0.99 + batch·0.01 with the biased variance, assigned after the pass', () => {
    const ctxs = new ForwardContexts(new Rng(1));
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 1, 2]);
    const [gamma, beta] = [tf.variable(tf.ones([2])), tf.variable(tf.zeros([2]))];
    const [mm, mv] = [tf.variable(tf.zeros([2])), tf.variable(tf.ones([2]))];
    const y = batchNorm.forward!({ in: x }, [gamma, beta, mm, mv], defaultParams('BatchNormalization'), ctxs.of(TRAINING)) as tf.Tensor;
    // Nothing assigned yet: the update waits for the end of the step.
    expect(Array.from(mm.dataSync())).toEqual([0, 0]);
    ctxs.applyUpdates();
    // Channel 0: 1, 3, 5, 7 → mean 4, biased variance 5; channel 1: 2, 4, 6, 8 → mean 5, variance 5.
    expect(Array.from(mm.dataSync())).toEqual([Math.fround(0.04), Math.fround(0.05)].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(mv.dataSync())).toEqual([expect.closeTo(0.99 + 0.05, 6), expect.closeTo(0.99 + 0.05, 6)]);
    expect(y.dataSync()[0]).toBeCloseTo((1 - 4) / Math.sqrt(5 + 0.001), 5);
    const before = tf.memory().numTensors;
    const inf = batchNorm.forward!({ in: x }, [gamma, beta, mm, mv], defaultParams('BatchNormalization'), ctxs.of(INFERENCE)) as tf.Tensor;
    ctxs.applyUpdates();
    expect(inf.dataSync()[0]).toBeCloseTo((1 - 0.04) / Math.sqrt(1.04 + 0.001), 5);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, gamma, beta, mm, mv, y, inf]);
  });
});

describe('batch norm per stage, as the book\'s loop runs on Keras 3', () => {
  it('D stage: the fakes are generator.predict; G stage: the loss is D in inference mode on G in training mode', () => {
    for (const mode of ['moving', 'batch'] as const) {
      const gan = compile(narrowDcgan({ frozenBatchNorm: mode, fakesBatchNorm: 'moving' }));
      const trainer = new GanTrainer(gan, syntheticImages(), 4, 5);
      for (let i = 0; i < 2; i++) disposeStats(trainer.step());
      const z = tf.randomNormal([4, gan.zSize], 0, 1, 'float32', 9);
      const [ours, predicted] = tf.tidy(() => [trainer.generate(z), gan.generator.predict(z) as tf.Tensor]);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(ours, predicted))).dataSync()[0])).toBeLessThan(1e-5);

      // The G step's loss (measured before its update) from the same z, computed by hand in each mode.
      const state = trainer.sampler.rng.state;
      const zG = trainer.sampler.noise(4);
      trainer.sampler.rng.state = state;
      const ctxs = new ForwardContexts(new Rng(1));
      const expected = (frozen: PassMode) =>
        tf.tidy(() => binaryCrossEntropyConstantLabel(1, gan.dForward(gan.gForward(zG, ctxs.options({ training: true, updateStats: false })), ctxs.options(frozen)), gan.gAdam.epsilon).dataSync()[0]);
      const asKeras3 = expected(FROZEN);
      const onBatchStats = expected(FROZEN_D_ON_BATCH_STATS);
      expect(Math.abs(asKeras3 - onBatchStats)).toBeGreaterThan(1e-4);
      const loss = trainer.stepG();
      expect(loss.dataSync()[0]).toBeCloseTo(mode === 'moving' ? asKeras3 : onBatchStats, 5);
      tf.dispose([z, zG, ours, predicted, loss]);
      trainer.dispose();
      gan.dispose();
    }
  });
});

describe("the combiner's alternative for D's fakes: G on the fake batch's statistics", () => {
  it('makes the fakes with a training pass of G that changes none of G (moving statistics included)', () => {
    const gan = compile(narrowDcgan({ fakesBatchNorm: 'batch' }));
    const trainer = new GanTrainer(gan, syntheticImages(), 4, 5);
    for (let i = 0; i < 2; i++) disposeStats(trainer.step());
    const z = tf.randomNormal([4, gan.zSize], 0, 1, 'float32', 9);
    const before = gan.gAllVariables.map((v) => (v.dataSync() as Float32Array).slice());
    const ctxs = new ForwardContexts(new Rng(1));
    const [ours, onBatch, predicted] = tf.tidy(() => [trainer.generate(z), gan.gForward(z, ctxs.options(FAKES_ON_BATCH_STATS)), gan.generator.predict(z) as tf.Tensor]);
    const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    expect(maxDiff(ours, onBatch)).toBeLessThan(1e-6);
    // Visibly not generator.predict: the batch statistics differ from the moving ones after 2 iterations.
    expect(maxDiff(ours, predicted)).toBeGreaterThan(1e-3);
    // A whole D stage then leaves every G variable bit for bit (the stage's own fakes included).
    const d = trainer.stepD();
    tf.dispose([d.dLoss, d.acc]);
    gan.gAllVariables.forEach((v, i) => expect(Array.from(v.dataSync()), v.name).toEqual(Array.from(before[i])));
    trainer.finishIteration();
    tf.dispose([z, ours, onBatch, predicted]);
    trainer.dispose();
    gan.dispose();
  });
});

describe('stage isolation of every variable, trained or not (the principle)', () => {
  it("over 3 DCGAN iterations with D's fakes on batch statistics: D's stage leaves all of G, G's stage all of D", async () => {
    const gan = compile(narrowDcgan({ frozenBatchNorm: 'batch', fakesBatchNorm: 'batch', dropout: 0.3 }));
    const trainer = new GanTrainer(gan, syntheticImages(), 4, 11);
    const watched = await expectStageIsolation(gan, trainer, 3);
    expect(moving(watched.generator)).toHaveLength(4);
    trainer.dispose();
    gan.dispose();
  });

  for (const mode of ['moving', 'batch'] as const) {
    it(`over 3 DCGAN iterations (frozen D's BN on ${mode} statistics): D's stage leaves all of G, G's stage all of D`, async () => {
      const gan = compile(narrowDcgan({ frozenBatchNorm: mode, dropout: 0.3 }));
      const trainer = new GanTrainer(gan, syntheticImages(), 4, 11);
      // Every D variable moves in D's stage: weights by Adam, moving mean and variance by the two train_on_batch passes.
      const watched = await expectStageIsolation(gan, trainer, 3);
      expect(moving(watched.generator)).toHaveLength(4);
      expect(moving(watched.discriminator)).toHaveLength(4);
      const flat = tf.memory().numTensors;
      disposeStats(trainer.step());
      expect(tf.memory().numTensors).toBe(flat);
      trainer.dispose();
      gan.dispose();
    });
  }
});

describe('seeded repeatability', () => {
  it('the same seed repeats every loss and every variable bit for bit, dropout masks included; another seed differs', async () => {
    const run = async (seed: number) => {
      const gan = compile(narrowDcgan({ dropout: 0.4 }), seed);
      const trainer = new GanTrainer(gan, syntheticImages(), 4, seed);
      const logs = [];
      for (let i = 0; i < 3; i++) {
        const t = trainer.step();
        logs.push(await readStats(i + 1, t));
        disposeStats(t);
      }
      const weights = [...gan.generator.weights, ...gan.discriminator.weights].map((w) => Array.from(w.read().dataSync()));
      trainer.dispose();
      gan.dispose();
      return { logs, weights };
    };
    const a = await run(21);
    const b = await run(21);
    const c = await run(22);
    expect(b).toEqual(a);
    expect(c.logs).not.toEqual(a.logs);
  });

  it('dropout drops only in training, about `rate` of the values, scaling the rest by 1 / (1 − rate)', () => {
    const ctxs = new ForwardContexts(new Rng(4));
    const x = tf.ones([1000]);
    const run = (mode: PassMode) => {
      const y = tf.tidy(() => dropout.forward!({ in: x }, [], { rate: 0.25 }, ctxs.of(mode)) as tf.Tensor);
      const values = Array.from(y.dataSync());
      y.dispose();
      return values;
    };
    const train = run(TRAINING);
    const zeros = train.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(200);
    expect(zeros).toBeLessThan(300);
    expect(train.filter((v) => v !== 0).every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    // A second training pass draws a new mask from the run's generator.
    expect(run(TRAINING)).not.toEqual(train);
    expect(run(INFERENCE).every((v) => v === 1)).toBe(true);
    x.dispose();
  });
});

describe('exact resume with batch-norm statistics', () => {
  it('a captured state carries every moving statistic, and resuming from it repeats the run bit for bit', async () => {
    const doc = narrowDcgan({ dropout: 0.2 });
    const weights = (gan: CompiledGan) => [...gan.gAllVariables, ...gan.dAllVariables].map((v) => Array.from(v.dataSync()));
    const a = compile(doc, 8);
    const ta = new GanTrainer(a, syntheticImages(), 4, 8);
    for (let i = 0; i < 2; i++) disposeStats(ta.step());
    const state = await captureState(ta);
    const names = [...state.generatorUntrained, ...state.discriminatorUntrained].map((t) => t.name);
    expect(names.filter((n) => n.includes('moving_mean'))).toHaveLength(4);
    expect(names.filter((n) => n.includes('moving_variance'))).toHaveLength(4);
    for (let i = 0; i < 2; i++) disposeStats(ta.step());
    const b = compile(doc, 99); // other initial weights: everything must come from the state
    const tb = new GanTrainer(b, syntheticImages(), 4, 99);
    restoreState(tb, state);
    for (let i = 0; i < 2; i++) disposeStats(tb.step());
    expect(weights(b)).toEqual(weights(a));
    expect(tb.iteration).toBe(ta.iteration);
    ta.dispose();
    tb.dispose();
    a.dispose();
    b.dispose();
  });

  it('a checkpoint file of a batch-norm graph keeps its moving statistics and resumes bit for bit', async () => {
    const doc = narrowDcgan();
    const weights = (gan: CompiledGan) => [...gan.gAllVariables, ...gan.dAllVariables].map((v) => Array.from(v.dataSync()));
    const a = compile(doc, 5);
    const ta = new GanTrainer(a, syntheticImages(), 4, 5);
    for (let i = 0; i < 2; i++) disposeStats(ta.step());
    const decoded = decodeCheckpoint(encodeCheckpoint(await captureCheckpoint(doc, ta)));
    if (!decoded.ok) throw new Error(decoded.error);
    const { gan: b, trainer: tb } = restoreCheckpoint(decoded.checkpoint, { dataSource: syntheticImages() });
    for (let i = 0; i < 2; i++) {
      disposeStats(ta.step());
      disposeStats(tb.step());
    }
    expect(weights(b)).toEqual(weights(a));
    ta.dispose();
    tb.dispose();
    a.dispose();
    b.dispose();
  });
});
