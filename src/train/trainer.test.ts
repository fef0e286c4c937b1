import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGan, countParameters, type CompiledGan } from './compile';
import { GanTrainer, readStats, disposeStats } from './trainer';
import { formatLogLine } from '../io/logLine';
import { FUSED_ADAM, FusedAdamOptimizer } from '../kernels/fusedAdam';
import { binaryAccuracy, binaryAccuracyConstantLabel, binaryCrossEntropy, binaryCrossEntropyConstantLabel } from './losses';
import { SeedLoop } from './seedLoop';
import { presetDocument, syntheticImages, mnistForTests } from '../testing/fixtures';
import { expectStageIsolation } from '../testing/stageIsolation';
import { expectFlatTensors, iterationLosses } from '../testing/trainerRuns';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function compilePreset(seed = 7): CompiledGan {
  const r = compileGan(presetDocument(), { seed });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.gan;
}

describe('compiled preset', () => {
  it('has the book\'s parameter counts, from the variables themselves', () => {
    const gan = compilePreset();
    expect(countParameters(gan.gVariables)).toBe(114_064);
    expect(countParameters(gan.dVariables)).toBe(100_609);
    expect(gan.analysis.totals).toEqual({ generator: 114_064, discriminator: 100_609 });
    expect(gan.generator.outputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(gan.combined.outputs[0].shape).toEqual([null, 1]);
    gan.dispose();
  });

  it('starts with glorot-uniform kernels within the Keras limit and zero biases', () => {
    const gan = compilePreset();
    const [k1, b1] = gan.gVariables;
    const limit = Math.sqrt(6 / (100 + 128));
    const k = k1.dataSync() as Float32Array;
    expect(Math.max(...k)).toBeLessThanOrEqual(limit);
    expect(Math.min(...k)).toBeGreaterThanOrEqual(-limit);
    // Uniform on [-l, l] has variance l²/3; glorot-normal would be truncated-normal with a different spread.
    const variance = k.reduce((s, x) => s + x * x, 0) / k.length;
    expect(variance).toBeCloseTo((limit * limit) / 3, 3);
    expect(b1.dataSync().every((x) => x === 0)).toBe(true);
    gan.dispose();
  });
});

describe('stage isolation (the principle), proven on every weight', () => {
  it('D steps change only D, G steps change only G, over several iterations', async () => {
    const gan = compilePreset();
    const trainer = new GanTrainer(gan, syntheticImages(), 32, 1);
    const watched = await expectStageIsolation(gan, trainer, 4);
    expect([watched.generator.length, watched.discriminator.length]).toEqual([4, 4]);
    trainer.dispose();
    gan.dispose();
  });

  it('the seed-style loop (trainOnBatch) keeps the same isolation', async () => {
    const gan = compilePreset();
    const loop = new SeedLoop(gan, syntheticImages(), 32, 1);
    await expectStageIsolation(gan, loop, 2);
    loop.dispose();
    gan.dispose();
  });

  it('the book\'s literal recipe (D.trainable = false, left so) breaks D\'s own step on tfjs', async () => {
    const gan = compilePreset();
    const loop = new SeedLoop(gan, syntheticImages(), 32, 1);
    gan.discriminator.trainable = false;
    await expect(gan.discriminator.trainOnBatch(loop.sampler.realBatch(32), tf.ones([32, 1]))).rejects.toThrow(/none of the 4 variables is trainable/);
    gan.discriminator.trainable = true;
    loop.dispose();
    gan.dispose();
  });
});

describe('trainer', () => {
  it('matches the seed-style trainOnBatch loop from the same weights and draws within 1e-5 over 20 iterations', async () => {
    const a = compilePreset(11);
    const b = compilePreset(11);
    const data = syntheticImages(512);
    const fast = new GanTrainer(a, data, 64, 5);
    const seed = new SeedLoop(b, data, 64, 5);
    for (let i = 0; i < 20; i++) {
      const t = fast.step();
      const s = await readStats(fast.iteration, t);
      disposeStats(t);
      const r = await seed.step();
      expect(s.dLoss).toBeCloseTo(r.dLoss, 5);
      expect(s.gLoss).toBeCloseTo(r.gLoss, 5);
      expect(s.acc).toBeCloseTo(r.acc, 6);
    }
    const all = (g: CompiledGan) => [...g.gVariables, ...g.dVariables];
    const wa = all(a);
    const wb = all(b);
    let maxDiff = 0;
    wa.forEach((v, i) => {
      const x = v.dataSync();
      const y = wb[i].dataSync();
      for (let j = 0; j < x.length; j++) maxDiff = Math.max(maxDiff, Math.abs(x[j] - y[j]));
    });
    expect(maxDiff).toBeLessThan(1e-5);
    fast.dispose();
    seed.dispose();
    a.dispose();
    b.dispose();
  });

  it('repeats exactly with the same seed on cpu', async () => {
    const run = async () => {
      const gan = compilePreset(3);
      const trainer = new GanTrainer(gan, syntheticImages(), 32, 9);
      const out = await iterationLosses(trainer, 5);
      trainer.dispose();
      gan.dispose();
      return out;
    };
    expect(await run()).toEqual(await run());
  });

  it('keeps tf.memory().numTensors flat over 60 iterations', async () => {
    const gan = compilePreset();
    const trainer = new GanTrainer(gan, syntheticImages(), 32, 2);
    await expectFlatTensors(trainer, 60, () => trainer.sample(16));
    trainer.dispose();
    gan.dispose();
  });

  it('formats the seed\'s log line', () => {
    expect(formatLogLine({ iteration: 1000, dLoss: 0.1234564, acc: 0.953125, gLoss: 3.4567891 })).toBe('1000 [D loss: 0.123456, acc.: 95.31%] [G loss: 3.456789]');
  });

  it('learns on real MNIST: D separates real from fake early on', async () => {
    const gan = compilePreset();
    const trainer = new GanTrainer(gan, await mnistForTests(), 128, 4);
    let last = { dLoss: 0, acc: 0, gLoss: 0, iteration: 0 };
    for (let i = 0; i < 30; i++) {
      const t = trainer.step();
      if (i === 29) last = await readStats(trainer.iteration, t);
      disposeStats(t);
    }
    expect(last.acc).toBeGreaterThan(0.7);
    expect(Number.isFinite(last.gLoss)).toBe(true);
    trainer.dispose();
    gan.dispose();
  });
});

const bitsOf = (t: tf.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

describe('constant-label losses', () => {
  // Probabilities across the clip: exact 0 and 1, ε and 1 − ε, either side of them, 0.5, and ordinary values.
  const probabilities = () =>
    tf.tensor2d([0, 1e-9, 1e-7, 2e-7, 1e-3, 0.2, 0.4999999, 0.5, 0.5000001, 0.8, 0.999, 1 - 1e-7, 1 - 1e-8, 1, 0.37, 0.63], [16, 1]);

  for (const label of [0, 1] as const) {
    it(`label ${label}: BCE value and gradient are bitwise those of the general form`, () => {
      const p = probabilities();
      const y = tf.fill([16, 1], label);
      for (const eps of [1e-7, 1e-3]) {
        const general = tf.valueAndGrad((q: tf.Tensor) => binaryCrossEntropy(y, q, eps));
        const constant = tf.valueAndGrad((q: tf.Tensor) => binaryCrossEntropyConstantLabel(label, q, eps));
        const a = general(p);
        const b = constant(p);
        expect(bitsOf(b.value)).toEqual(bitsOf(a.value));
        expect(bitsOf(b.grad)).toEqual(bitsOf(a.grad));
        tf.dispose([a.value, a.grad, b.value, b.grad]);
      }
      tf.dispose([p, y]);
    });

    it(`label ${label}: accuracy is that of the general form, NaN included`, () => {
      const p = tf.concat([probabilities(), tf.tensor2d([Number.NaN], [1, 1])]);
      const y = tf.fill([17, 1], label);
      const a = binaryAccuracy(y, p);
      const b = binaryAccuracyConstantLabel(label, p);
      expect(bitsOf(b)).toEqual(bitsOf(a));
      tf.dispose([p, y, a, b]);
    });
  }
});

describe('lean forward', () => {
  it('gForward / dForward equal the tfjs-layers models in value and in every variable\'s gradient', () => {
    const gan = compilePreset(5);
    const z = tf.randomNormal([16, gan.zSize], 0, 1, 'float32', 3);
    const images = tf.randomUniform([16, ...gan.imageShape], -1, 1, 'float32', 4);
    const pairs: [tf.Tensor, tf.Tensor][] = tf.tidy(() => [
      [gan.gForward(z), gan.generator.apply(z, { training: true }) as tf.Tensor],
      [gan.dForward(images), gan.discriminator.apply(images, { training: true }) as tf.Tensor],
      [gan.dForward(gan.gForward(z)), gan.combined.apply(z, { training: true }) as tf.Tensor],
    ]);
    for (const [lean, layers] of pairs) {
      expect(lean.shape).toEqual(layers.shape);
      const x = lean.dataSync();
      const y = layers.dataSync();
      let maxDiff = 0;
      for (let i = 0; i < x.length; i++) maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
      expect(maxDiff).toBeLessThan(1e-6);
    }
    const grads = (f: () => tf.Scalar, vars: tf.Variable[]) => {
      const { value, grads } = tf.variableGrads(f, vars);
      const out = vars.map((v) => (grads[v.name].dataSync() as Float32Array).slice());
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    };
    const close = (a: Float32Array[], b: Float32Array[]) => {
      let worst = 0;
      a.forEach((g, i) => g.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - b[i][j]) / (1e-6 + 1e-5 * Math.abs(x))))));
      expect(worst).toBeLessThan(1);
    };
    close(
      grads(() => binaryCrossEntropyConstantLabel(1, gan.dForward(gan.gForward(z))), gan.gVariables),
      grads(() => binaryCrossEntropyConstantLabel(1, gan.combined.apply(z, { training: true }) as tf.Tensor), gan.gVariables),
    );
    close(
      grads(() => binaryCrossEntropyConstantLabel(0, gan.dForward(images)), gan.dVariables),
      grads(() => binaryCrossEntropyConstantLabel(0, gan.discriminator.apply(images, { training: true }) as tf.Tensor), gan.dVariables),
    );
    tf.dispose([z, images, ...pairs.flat()]);
    gan.dispose();
  });

  it('still follows the variables while D is frozen (trainable = false), as the book\'s recipe leaves it', () => {
    const gan = compilePreset(5);
    const images = tf.randomUniform([4, ...gan.imageShape], -1, 1, 'float32', 4);
    gan.discriminator.trainable = false;
    const p = gan.dForward(images);
    const q = gan.discriminator.apply(images) as tf.Tensor;
    expect(Array.from(p.dataSync())).toEqual(Array.from(q.dataSync()));
    gan.discriminator.trainable = true;
    tf.dispose([images, p, q]);
    gan.dispose();
  });
});

describe('trainer kernels', () => {
  it('updates each of the 12 variable slots of an iteration with one fused Adam kernel, and no stock Adam ops', async () => {
    const gan = compilePreset();
    const trainer = new GanTrainer(gan, syntheticImages(), 32, 2);
    expect(trainer.dOptimizer).toBeInstanceOf(FusedAdamOptimizer);
    expect(trainer.gOptimizer).toBeInstanceOf(FusedAdamOptimizer);
    disposeStats(trainer.step());
    const profile = await tf.profile(() => disposeStats(trainer.step()));
    const names = profile.kernels.map((k) => k.name);
    // D: 4 variables × 2 steps; G: 4 variables × 1 step.
    expect(names.filter((n) => n === FUSED_ADAM)).toHaveLength(12);
    expect(names).not.toContain('Sqrt');
    // No tf.fused.matMul: its gradient computes both inputs' gradients, needed or not.
    expect(names).not.toContain('_FusedMatMul');
    trainer.dispose();
    gan.dispose();
  });
});
