// Graphs, not chains: a G and a D with branches and joins (Add, Concatenate) compile into tfjs functional models
// and lean forwards that agree with them, and train on cpu with every variable of the other network untouched.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph } from '../graph/analyze';
import { formatShape } from '../nodes/types';
import { compileGan, countParameters, type CompiledGan } from './compile';
import { GanTrainer, disposeStats } from './trainer';
import { branchingDocument, syntheticImages } from '../testing/fixtures';
import { expectStageIsolation } from '../testing/stageIsolation';
import { iterationLosses } from '../testing/trainerRuns';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint';
import { captureCheckpoint, restoreCheckpoint } from './checkpoint';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function compileBranching(seed = 4): CompiledGan {
  const r = compileGan(branchingDocument(), { seed });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.gan;
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => {
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
};

describe('a graph with a branch and a join', () => {
  it('is analysed: roles in topological order, counts, and a shape on every edge', () => {
    const doc = branchingDocument();
    const a = analyzeGraph(doc);
    expect(a.diagnostics).toEqual([]);
    expect(a.gan).toMatchObject({
      generatorInputs: ['g_z'],
      discriminatorInputs: ['d_image'],
      generatorOutput: 'g_reshape',
      discriminatorOutput: 'd_dense2',
    });
    const g = a.gan!.generator;
    expect(new Set(g)).toEqual(new Set(['g_dense1', 'g_lrelu', 'g_dense2', 'g_reshape', 'g_skip', 'g_add']));
    // A join comes after both of its branches.
    expect(g.indexOf('g_add')).toBeGreaterThan(Math.max(g.indexOf('g_lrelu'), g.indexOf('g_skip')));
    expect(a.totals).toEqual({ generator: 32_336, discriminator: 37_729 });
    for (const e of doc.edges) expect(a.edgeShapes[e.id], `edge ${e.id}`).toBeDefined();
    expect(formatShape(a.edgeShapes.b3)).toBe('?×32');
    expect(formatShape(a.edgeShapes.b8)).toBe('?×16');
    expect(formatShape(a.edgeShapes.b9)).toBe('?×48');
  });

  it('compiles to functional models whose lean forwards agree with them, value and gradient', () => {
    const gan = compileBranching();
    expect(countParameters(gan.gVariables)).toBe(32_336);
    expect(countParameters(gan.dVariables)).toBe(37_729);
    expect(gan.gAllVariables).toHaveLength(gan.gVariables.length);
    expect(gan.generator.outputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(gan.combined.outputs[0].shape).toEqual([null, 1]);
    const z = tf.randomNormal([8, gan.zSize], 0, 1, 'float32', 3);
    const images = tf.randomUniform([8, ...gan.imageShape], -1, 1, 'float32', 4);
    const pairs = tf.tidy(() => [
      [gan.gForward(z), gan.generator.apply(z, { training: true }) as tf.Tensor],
      [gan.dForward(images), gan.discriminator.apply(images, { training: true }) as tf.Tensor],
      [gan.dForward(gan.gForward(z)), gan.combined.apply(z, { training: true }) as tf.Tensor],
    ]);
    for (const [lean, layers] of pairs) {
      expect(lean.shape).toEqual(layers.shape);
      expect(maxDiff(lean, layers)).toBeLessThan(1e-6);
    }
    const { value, grads } = tf.variableGrads(() => tf.mean(gan.dForward(gan.gForward(z))) as tf.Scalar, gan.gVariables);
    const viaModel = tf.variableGrads(() => tf.mean(gan.combined.apply(z, { training: true }) as tf.Tensor) as tf.Scalar, gan.gVariables);
    // Both branches of G get gradients, through the join.
    for (const v of gan.gVariables) {
      expect(maxDiff(grads[v.name], viaModel.grads[v.name])).toBeLessThan(1e-6);
      expect(tf.tidy(() => tf.max(tf.abs(grads[v.name])).dataSync()[0])).toBeGreaterThan(0);
    }
    tf.dispose([z, images, value, viaModel.value, ...Object.values(grads), ...Object.values(viaModel.grads), ...pairs.flat()]);
    gan.dispose();
  });

  it('trains on cpu: the D stage changes only D and the G stage only G, every variable, over 3 iterations', async () => {
    const gan = compileBranching();
    const trainer = new GanTrainer(gan, syntheticImages(), 16, 1);
    const before = tf.memory().numTensors;
    await expectStageIsolation(gan, trainer, 3);
    // Adam's slots are made on the first step; after that, nothing accumulates.
    const settled = tf.memory().numTensors;
    disposeStats(trainer.step());
    expect(tf.memory().numTensors).toBe(settled);
    expect(settled).toBeGreaterThan(before);
    trainer.dispose();
    gan.dispose();
  });

  it('repeats exactly with the same seed', async () => {
    const run = async () => {
      const gan = compileBranching(9);
      const trainer = new GanTrainer(gan, syntheticImages(), 16, 2);
      const out = await iterationLosses(trainer, 3);
      trainer.dispose();
      gan.dispose();
      return out;
    };
    expect(await run()).toEqual(await run());
  });

  it('survives a checkpoint file and continues exactly as the uninterrupted run', async () => {
    const doc = branchingDocument();
    doc.training.batchSize = 16;
    const data = syntheticImages();
    const gan = compileGan(doc, { seed: doc.training.seed });
    if (!gan.ok) throw new Error('compile');
    const trainer = new GanTrainer(gan.gan, data, doc.training.batchSize, doc.training.seed);
    await iterationLosses(trainer, 2);
    const file = encodeCheckpoint(await captureCheckpoint(doc, trainer));
    const straight = await iterationLosses(trainer, 2);
    const decoded = decodeCheckpoint(file);
    if (!decoded.ok) throw new Error(JSON.stringify(decoded));
    const resumed = restoreCheckpoint(decoded.checkpoint, { dataSource: data });
    expect(await iterationLosses(resumed.trainer, 2)).toEqual(straight);
    for (const t of [trainer, resumed.trainer]) t.dispose();
    gan.gan.dispose();
    resumed.gan.dispose();
  });
});
