// The seed's training iteration with stage isolation by explicit variable lists: the D optimizer is handed only D's
// variables and the combined model's optimizer only G's, so neither stage can touch the other network, whatever any
// `trainable` flag says. Tests compare every weight before and after each stage to prove it.
// The math is the seed loop's; the path is leaner: the compiled chains' lean forwards instead of tfjs-layers' apply,
// the constant-label forms of BCE and accuracy, Adam fused into one kernel per variable, and LeakyReLU's gradient
// in one kernel (kernels/leakyReluGrad.ts).
import * as tf from '@tensorflow/tfjs';
import type { AdamSettings, CompiledGan, ForwardOptions } from './compile';
import type { NetworkMode } from '../nodes/types';
import { FusedAdamOptimizer } from '../kernels/fusedAdam';
import { registerLeakyReluGrad } from '../kernels/leakyReluGrad';
import { binaryAccuracyConstantLabel, binaryCrossEntropyConstantLabel } from './losses';
import { Rng } from './random';
import type { ImageSource } from '../data/imageSource';
import type { IterationStats } from '../io/logLine';

/** Per-batch values of one iteration (never running averages), as scalars the caller must dispose or read. */
export interface IterationTensors {
  dLoss: tf.Scalar;
  acc: tf.Scalar;
  gLoss: tf.Scalar;
}

/** tfjs's stock Adam: the seed-style baseline loop keeps it. */
export const makeAdam = (s: AdamSettings): tf.AdamOptimizer => tf.train.adam(s.learningRate, s.beta1, s.beta2, s.epsilon);

/** Adam with the same state and float32 results, one kernel per variable where the backend has it (Ganvas's trainer). */
export const makeFastAdam = (s: AdamSettings): tf.AdamOptimizer => new FusedAdamOptimizer(s.learningRate, s.beta1, s.beta2, s.epsilon);

/** The draws of one iteration, shared by Ganvas's trainer and the seed-style loop so both see the same data. */
export class Sampler {
  readonly rng: Rng;
  constructor(
    readonly data: ImageSource,
    readonly imageShape: number[],
    readonly zSize: number,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  /** `n` random training images (with replacement, like np.random.randint), scaled to [-1, 1]. */
  realBatch(n: number): tf.Tensor {
    return this.labeledBatch(n, false).images;
  }

  /**
   * `n` random training images and, when asked, the same images' labels (n × 1, int32): the book's
   * `imgs, labels = X_train[idx], y_train[idx]`. The draws are the same either way.
   */
  labeledBatch(n: number, withLabels = true): { images: tf.Tensor; labels?: tf.Tensor2D } {
    const { size, pixels, count, labels } = this.data;
    if (withLabels && !labels) throw new Error('this dataset has no labels');
    const out = new Float32Array(n * size);
    const picked = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const index = this.rng.int(count);
      const offset = index * size;
      for (let j = 0; j < size; j++) out[i * size + j] = pixels[offset + j] / 127.5 - 1;
      if (withLabels) picked[i] = labels![index];
    }
    const images = tf.tensor(out, [n, ...this.imageShape]);
    return withLabels ? { images, labels: tf.tensor2d(picked, [n, 1], 'int32') } : { images };
  }

  /** `n` labels drawn uniformly from 0…classes − 1 (n × 1, int32): the book's np.random.randint(0, num_classes, n). */
  randomLabels(n: number, classes: number): tf.Tensor2D {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.rng.int(classes);
    return tf.tensor2d(out, [n, 1], 'int32');
  }

  /** z ~ N(0, 1), n × zSize, seeded from the sampler's generator so runs repeat exactly on the cpu backend. */
  noise(n: number): tf.Tensor2D {
    return tf.randomNormal([n, this.zSize], 0, 1, 'float32', this.rng.nextUint32());
  }
}

/**
 * How each network runs in each stage, as Keras 3 runs the book's loop: the D stage's fakes come from
 * `generator.predict` (inference: moving statistics, no update) and D trains on batch statistics, updating its own
 * (once per train_on_batch: real, then fake); the G stage trains G in training mode (batch statistics, G's moving
 * averages updated) through the frozen D: a training call (dropout drops), but Keras 3 runs a frozen
 * BatchNormalization in inference mode, so D's moving statistics normalize and nothing of D changes.
 */
export const STAGE_MODES: Record<'dStage' | 'gStage', Record<'generator' | 'discriminator', NetworkMode>> = {
  dStage: { generator: { training: false, updateStats: false }, discriminator: { training: true, updateStats: true } },
  gStage: { generator: { training: true, updateStats: true }, discriminator: { training: true, updateStats: false, frozen: true } },
};

/** Where a trainer stands within an iteration: at its start (Step D is next), or after Step D (Step G is due). */
export type IterationPhase = 'start' | 'afterD';

/** Step D's draws, in the book's order: a real batch, z, then G(z) (no update yet). */
export interface DBatch {
  real: tf.Tensor;
  z: tf.Tensor;
  fake: tf.Tensor;
  /** A conditional GAN's: the real images' labels (n × 1, int32), which the fakes were also made for. */
  labels?: tf.Tensor2D;
}

/** The combiner's alternative for the frozen D in G's stage: batch norm on the fake batch's statistics, still no update. */
export const FROZEN_D_ON_BATCH_STATS: NetworkMode = { training: true, updateStats: false };

/** The combiner's alternative for G making D's fakes: batch norm on the fake batch's statistics, no update of G's. */
export const FAKES_ON_BATCH_STATS: NetworkMode = { training: true, updateStats: false };

/** The mode of inference passes: sample grids, exports, generator.predict. */
export const INFERENCE: NetworkMode = { training: false, updateStats: false };

export class GanTrainer {
  readonly dOptimizer: tf.AdamOptimizer;
  readonly gOptimizer: tf.AdamOptimizer;
  readonly sampler: Sampler;
  // The count and the phase move only with the steps below, or with the weights they describe (restoreProgress).
  private completed = 0;
  private at: IterationPhase = 'start';
  /** Moving-statistic updates handed over during the current step, assigned once its optimizer step is done. */
  private pending: [tf.Variable, tf.Tensor][] = [];

  constructor(
    readonly gan: CompiledGan,
    data: ImageSource,
    readonly batchSize: number,
    seed: number,
  ) {
    registerLeakyReluGrad();
    this.dOptimizer = makeFastAdam(gan.dAdam);
    this.gOptimizer = makeFastAdam(gan.gAdam);
    this.sampler = new Sampler(data, gan.imageShape, gan.zSize, seed);
  }

  /** Completed iterations: a G step that follows a D step completes one. */
  get iteration(): number {
    return this.completed;
  }

  get phase(): IterationPhase {
    return this.at;
  }

  /**
   * Sets the count and phase to those of a restored state. Only restoreState (state.ts) calls it, together with the
   * weights, optimizers and random state the count belongs to.
   */
  restoreProgress(iteration: number, phase: IterationPhase): void {
    this.completed = iteration;
    this.at = phase;
  }

  /** Random draws inside the networks (dropout masks) come from the run's seeded generator, so runs repeat. */
  private mode(m: NetworkMode): ForwardOptions {
    return {
      ...m,
      seed: () => this.sampler.rng.nextUint32(),
      // Kept past minimize's tidy; applyStatUpdates assigns them outside the gradient tape.
      assignAfter: (variable, value) => void this.pending.push([variable, tf.keep(value)]),
    };
  }

  /** Assigns the moving statistics a step's forward handed over, in order, then frees the values. */
  private applyStatUpdates(): void {
    for (const [variable, value] of this.pending) {
      variable.assign(value);
      value.dispose();
    }
    this.pending = [];
  }

  /** The frozen D's mode in G's stage: Keras 3's (batch norm on moving statistics) or the combiner's alternative. */
  private get frozenD(): NetworkMode {
    return this.gan.frozenBatchNorm === 'batch' ? FROZEN_D_ON_BATCH_STATS : STAGE_MODES.gStage.discriminator;
  }

  /** Whether G and D read class labels (a conditional GAN, chapter 8). */
  get conditional(): boolean {
    return this.gan.labelClasses !== undefined;
  }

  /** G's inputs in its input order: z, and for a conditional G the labels asked for. */
  private gIn(z: tf.Tensor, labels?: tf.Tensor): tf.Tensor[] {
    return this.gan.structure.generatorInputs.map((id) => (id === this.gan.structure.generatorLabel ? needLabels(labels) : z));
  }

  /** D's inputs in its input order: the images, and for a conditional D the same images' (or fakes' asked-for) labels. */
  private dIn(images: tf.Tensor, labels?: tf.Tensor): tf.Tensor[] {
    return this.gan.structure.discriminatorInputs.map((id) => (id === this.gan.structure.discriminatorLabel ? needLabels(labels) : images));
  }

  /**
   * The D stage's fakes (for a conditional G: of these labels): G in inference mode, as Keras's generator.predict, or
   * with the combiner's alternative on the fake batch's own statistics. G's moving averages change in neither.
   */
  generate(z: tf.Tensor, labels?: tf.Tensor): tf.Tensor {
    const mode = this.gan.fakesBatchNorm === 'batch' ? FAKES_ON_BATCH_STATS : STAGE_MODES.dStage.generator;
    return this.gan.gForward(this.gIn(z, labels), this.mode(mode));
  }

  /** One Adam step of D on a batch with one target; returns the loss and accuracy measured before the update. */
  private trainD(images: tf.Tensor, value: 0 | 1, labels?: tf.Tensor): { loss: tf.Scalar; acc: tf.Scalar } {
    let acc: tf.Scalar | undefined;
    const loss = this.dOptimizer.minimize(
      () => {
        const p = this.gan.dForward(this.dIn(images, labels), this.mode(STAGE_MODES.dStage.discriminator));
        acc = tf.keep(binaryAccuracyConstantLabel(value, p));
        return binaryCrossEntropyConstantLabel(value, p, this.gan.dAdam.epsilon);
      },
      true,
      this.gan.dVariables,
    ) as tf.Scalar;
    this.applyStatUpdates();
    return { loss, acc: acc! };
  }

  /** One Adam step of G through the frozen D, with target 1 ("make D call the fakes real"). */
  private trainG(z: tf.Tensor, labels?: tf.Tensor): tf.Scalar {
    // D(G(z)) on the same variables as the combined model; only G's are in the list, so D stays as it is. A
    // conditional D reads the labels G was asked for, as the combined model routes them.
    const loss = this.gOptimizer.minimize(
      () => {
        const fake = this.gan.gForward(this.gIn(z, labels), this.mode(STAGE_MODES.gStage.generator));
        return binaryCrossEntropyConstantLabel(1, this.gan.dForward(this.dIn(fake, labels), this.mode(this.frozenD)), this.gan.gAdam.epsilon);
      },
      true,
      this.gan.gVariables,
    ) as tf.Scalar;
    this.applyStatUpdates();
    return loss;
  }

  // Step D in its parts, for callers that show each one (the walkthrough); stepD() runs them straight through.

  /** Step D's draws. The caller disposes them. */
  drawD(): DBatch {
    const n = this.batchSize;
    // A conditional GAN (chapter 8): real images with their labels, and fakes generated for those same labels.
    const { images: real, labels } = this.sampler.labeledBatch(n, this.conditional);
    const z = this.sampler.noise(n);
    const fake = tf.tidy(() => this.generate(z, labels));
    return labels ? { real, z, fake, labels } : { real, z, fake };
  }

  /** Step D's first Adam step: D on the real batch (with its labels, conditional), label 1. */
  trainDOnReal(batch: DBatch): { loss: tf.Scalar; acc: tf.Scalar } {
    return this.trainD(batch.real, 1, batch.labels);
  }

  /** Step D's second Adam step: D on the fakes (made for the same labels), label 0. Step D is then done and Step G is due. */
  trainDOnFake(batch: DBatch): { loss: tf.Scalar; acc: tf.Scalar } {
    const out = this.trainD(batch.fake, 0, batch.labels);
    this.at = 'afterD';
    return out;
  }

  /** Stage 1 of an iteration: D on real (label 1), then on fakes (label 0). Returns d_loss and acc, the means. */
  stepD(): { dLoss: tf.Scalar; acc: tf.Scalar } {
    const batch = this.drawD();
    const r = this.trainDOnReal(batch);
    const f = this.trainDOnFake(batch);
    const out = tf.tidy(() => ({ dLoss: tf.mul(tf.add(r.loss, f.loss), 0.5) as tf.Scalar, acc: tf.mul(tf.add(r.acc, f.acc), 0.5) as tf.Scalar }));
    tf.dispose([batch.real, batch.z, batch.fake, r.loss, r.acc, f.loss, f.acc]);
    if (batch.labels) batch.labels.dispose();
    return out;
  }

  /**
   * Stage 2 of an iteration: fresh z (and, conditional, uniformly random labels), one G step through the combiner.
   * After a Step D it completes the iteration (the book's order: D, then G); a G step taken by hand without one
   * trains G but completes nothing.
   */
  stepG(): tf.Scalar {
    const z = this.sampler.noise(this.batchSize);
    const labels = this.gan.labelClasses !== undefined ? this.sampler.randomLabels(this.batchSize, this.gan.labelClasses) : undefined;
    const loss = this.trainG(z, labels);
    z.dispose();
    if (labels) labels.dispose();
    if (this.at === 'afterD') {
      this.completed++;
      this.at = 'start';
    }
    return loss;
  }

  /** Takes the G step that a Step D left due, so the next iteration begins at its start; nothing at a boundary. */
  finishIteration(): void {
    if (this.at === 'afterD') this.stepG().dispose();
  }

  /** One full iteration of the seed loop. The returned scalars stay on the device until someone needs them. */
  step(): IterationTensors {
    const { dLoss, acc } = this.stepD();
    const gLoss = this.stepG();
    return { dLoss, acc, gLoss };
  }

  /**
   * G(z) for `n` fresh z (or the given z), mapped to [0, 1] by 0.5·x + 0.5, as n × pixels. A conditional G makes
   * `labels[i]` for row i (default: 0, 1, 2, … cycling through the classes).
   */
  async sample(n = 16, z?: tf.Tensor, labels?: readonly number[]): Promise<Float32Array> {
    const own = z ?? this.sampler.noise(n);
    const classes = this.gan.labelClasses;
    const asked = classes === undefined ? undefined : tf.tensor2d(Array.from({ length: n }, (_, i) => labels?.[i] ?? i % classes), [n, 1], 'int32');
    // Inference mode, as the book's sample_images (generator.predict): moving statistics, no dropout.
    const images = tf.tidy(() => tf.add(tf.mul(this.gan.gForward(this.gIn(own, asked), this.mode(INFERENCE)), 0.5), 0.5));
    const data = (await images.data()) as Float32Array;
    images.dispose();
    if (!z) own.dispose();
    if (asked) asked.dispose();
    return data;
  }

  dispose(): void {
    this.dOptimizer.dispose();
    this.gOptimizer.dispose();
  }
}

const needLabels = (labels: tf.Tensor | undefined): tf.Tensor => {
  if (!labels) throw new Error('a conditional network needs labels');
  return labels;
};

export async function readStats(iteration: number, t: IterationTensors): Promise<IterationStats> {
  const [dLoss, acc, gLoss] = await Promise.all([t.dLoss.data(), t.acc.data(), t.gLoss.data()]);
  return { iteration, dLoss: dLoss[0], acc: acc[0], gLoss: gLoss[0] };
}

export const disposeStats = (t: IterationTensors): void => tf.dispose([t.dLoss, t.acc, t.gLoss]);
