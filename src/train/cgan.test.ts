// Conditional GANs (chapter 8) on the cpu backend: labels routed into both networks, the book's loop, stage isolation
// of every variable (embeddings included), and a flat tensor count.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGan, countParameters, type CompiledGan } from './compile';
import { GanTrainer } from './trainer';
import { analyzeGraph } from '../graph/analyze';
import type { GraphDocument } from '../graph/document';
import { denseCganDocument, syntheticLabeledImages } from '../testing/cganFixtures';
import { presetDocument, syntheticImages } from '../testing/fixtures';
import { expectStageIsolation } from '../testing/stageIsolation';
import { expectFlatTensors } from '../testing/trainerRuns';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function compile(doc: GraphDocument, seed = 5): CompiledGan {
  const r = compileGan(doc, { seed });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.gan;
}

describe('dense CGAN', () => {
  it('analyses with labels on both sides and counts the embeddings', () => {
    const a = analyzeGraph(denseCganDocument());
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.gan?.generatorLabel).toBe('g_label');
    expect(a.gan?.discriminatorLabel).toBe('d_label');
    expect(a.totals).toEqual({ generator: 30_104, discriminator: 32_961 });
    expect(a.shapes.g_embed.out).toEqual([null, 1, 100]);
    expect(a.shapes.d_join.out).toEqual([null, 28, 28, 2]);
  });

  it('compiles G(z, label), D(image, label) and a combined model fed (z, label) that routes the same label into D', () => {
    const gan = compile(denseCganDocument());
    expect(gan.generator.inputs.map((x) => [x.shape, x.dtype])).toEqual([[[null, 100], 'float32'], [[null, 1], 'int32']]);
    expect(gan.discriminator.inputs.map((x) => [x.shape, x.dtype])).toEqual([[[null, 28, 28, 1], 'float32'], [[null, 1], 'int32']]);
    expect(gan.combined.inputs.map((x) => x.shape)).toEqual([[null, 100], [null, 1]]);
    expect(countParameters(gan.gVariables)).toBe(30_104);
    expect(countParameters(gan.dVariables)).toBe(32_961);
    expect(gan.labelClasses).toBe(10);
    // The combined model is D(G(z, label), label): the same value as the two models applied by hand.
    tf.tidy(() => {
      const z = tf.randomNormal([4, 100], 0, 1, 'float32', 1);
      const labels = tf.tensor2d([[3], [1], [4], [1]], [4, 1], 'int32');
      const viaCombined = gan.combined.predict([z, labels]) as tf.Tensor;
      const byHand = gan.discriminator.predict([gan.generator.predict([z, labels]) as tf.Tensor, labels]) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(viaCombined, byHand))).dataSync()[0]).toBeLessThan(1e-6);
      // The lean forwards agree with the models.
      const lean = gan.dForward([gan.gForward([z, labels], { training: false, updateStats: false }), labels], { training: false, updateStats: false });
      expect(tf.max(tf.abs(tf.sub(lean, byHand))).dataSync()[0]).toBeLessThan(1e-6);
    });
    gan.dispose();
  });

  it('starts its embeddings uniform in ±0.05, as Keras', () => {
    const gan = compile(denseCganDocument());
    const table = gan.gVariables.find((v) => v.name.includes('g_embed'))!;
    expect(table.shape).toEqual([10, 100]);
    const values = table.dataSync() as Float32Array;
    expect(Math.max(...values)).toBeLessThanOrEqual(0.05);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-0.05);
    // Uniform on [-0.05, 0.05] has variance 0.05² / 3.
    expect(values.reduce((s, x) => s + x * x, 0) / values.length).toBeCloseTo(0.05 ** 2 / 3, 4);
    gan.dispose();
  });

  it('D stage leaves every variable of G, G stage every variable of D, over 3 iterations; embeddings train', async () => {
    const gan = compile(denseCganDocument());
    const trainer = new GanTrainer(gan, syntheticLabeledImages(), 4, 11);
    const watched = await expectStageIsolation(gan, trainer, 3);
    expect(watched.generator.filter((k) => k.includes('embed'))).toHaveLength(1);
    expect(watched.discriminator.filter((k) => k.includes('embed'))).toHaveLength(1);
    trainer.dispose();
    gan.dispose();
  });

  it('trains each embedding row only for the labels in the batch (the gradient reaches the rows asked for)', () => {
    const gan = compile(denseCganDocument());
    const dTable = gan.dVariables.find((v) => v.name.includes('d_embed'))!;
    // Every image labelled 2 or 5: D's stage may move only rows 2 and 5 of D's table.
    const data = syntheticLabeledImages(64);
    data.labels = data.labels!.map((_, i) => (i % 2 ? 2 : 5));
    const trainer = new GanTrainer(gan, data, 8, 3);
    const before = (dTable.arraySync() as number[][]).map((r) => r.slice());
    const ds = trainer.stepD();
    const after = dTable.arraySync() as number[][];
    const moved = after.map((row, i) => row.some((x, j) => x !== before[i][j]));
    expect(moved.map((m, i) => (m ? i : -1)).filter((i) => i >= 0)).toEqual([2, 5]);
    tf.dispose([ds.dLoss, ds.acc]);
    trainer.dispose();
    gan.dispose();
  });

  it('keeps tf.memory().numTensors flat over 50 iterations and labelled samples', async () => {
    const gan = compile(denseCganDocument());
    const trainer = new GanTrainer(gan, syntheticLabeledImages(), 8, 2);
    await expectFlatTensors(trainer, 50, () => trainer.sample(10, undefined, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    trainer.dispose();
    gan.dispose();
  });

  it('refuses to train a conditional GAN on images without labels', () => {
    const gan = compile(denseCganDocument());
    const trainer = new GanTrainer(gan, syntheticImages(), 4, 1);
    expect(() => trainer.stepD()).toThrow(/labels/);
    trainer.dispose();
    gan.dispose();
  });
});

/**
 * The chapter-8 preset with every convolution cut to a few filters (stock tfjs cpu needs tens of seconds per
 * full-width Conv2DBackpropFilter): the same nodes, label wiring, embeddings and batch-norm layers.
 */
function narrowCgan(): GraphDocument {
  const doc = presetDocument('cgan-mnist');
  for (const n of doc.nodes) {
    if (n.type.startsWith('Conv') && n.id !== 'g_convt3') n.params.filters = 4;
    if (n.id === 'g_dense') n.params.units = 7 * 7 * 4;
    if (n.id === 'g_reshape') n.params.targetShape = [7, 7, 4];
  }
  return doc;
}

describe('the chapter-8 CGAN preset', () => {
  it('has G 1,638,121 and D 122,657 weights, each with 384 moving statistics', () => {
    const a = analyzeGraph(presetDocument('cgan-mnist'));
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.totals).toEqual({ generator: 1_638_121 - 384, discriminator: 122_657 - 384 });
    expect(a.nonTrainableTotals).toEqual({ generator: 384, discriminator: 384 });
    expect(a.shapes.g_join.out).toEqual([null, 100]);
    expect(a.shapes.d_join.out).toEqual([null, 28, 28, 2]);
    const gan = compile(presetDocument('cgan-mnist'));
    expect(gan.generator.countParams()).toBe(1_638_121);
    expect(gan.discriminator.countParams()).toBe(122_657);
    expect(countParameters(gan.gVariables)).toBe(1_637_737);
    expect(countParameters(gan.dVariables)).toBe(122_273);
    expect(countParameters(gan.gAllVariables)).toBe(1_638_121);
    expect(countParameters(gan.dAllVariables)).toBe(122_657);
    expect(gan.generator.inputs.map((x) => x.shape)).toEqual([[null, 100], [null, 1]]);
    expect(gan.generator.outputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(gan.combined.inputs.map((x) => x.shape)).toEqual([[null, 100], [null, 1]]);
    gan.dispose();
  });

  it('trains as chapter 8 with every variable isolated over 3 iterations (embeddings and moving statistics included)', async () => {
    const gan = compile(narrowCgan());
    const trainer = new GanTrainer(gan, syntheticLabeledImages(), 4, 11);
    const watched = await expectStageIsolation(gan, trainer, 3);
    for (const names of [watched.generator, watched.discriminator]) {
      expect(names.filter((k) => k.includes('moving_'))).toHaveLength(4);
      expect(names.filter((k) => k.includes('embeddings'))).toHaveLength(1);
    }
    trainer.dispose();
    gan.dispose();
  });
});
