// The book's loop ported as literally as tfjs allows: compile D, compile the combined model with D frozen, then
// predict / trainOnBatch each step. It is the baseline the benchmark and the equivalence test compare against.
// The book's recipe leaves D.trainable = false, after which tfjs 4.22 refuses D's own trainOnBatch ("none of the 4
// variables is trainable"); here D is frozen only while the combined model is compiled, which fixes the combined
// model's variable list to G's. Tests check the weights, not this flag.
import * as tf from '@tensorflow/tfjs';
import type { CompiledGan } from './compile';
import { binaryAccuracy, binaryCrossEntropy } from './losses';
import { makeAdam, Sampler } from './trainer';
import type { ImageSource } from '../data/imageSource';
import type { IterationStats } from '../io/logLine';

export class SeedLoop {
  readonly sampler: Sampler;
  iteration = 0;
  private readonly ones: tf.Tensor;
  private readonly zeros: tf.Tensor;

  constructor(
    readonly gan: CompiledGan,
    data: ImageSource,
    readonly batchSize: number,
    seed: number,
  ) {
    const { discriminator: d, combined, dAdam, gAdam } = gan;
    d.compile({ optimizer: makeAdam(dAdam), loss: (y, p) => binaryCrossEntropy(y, p, dAdam.epsilon), metrics: [(y, p) => binaryAccuracy(y, p)] });
    d.trainable = false;
    combined.compile({ optimizer: makeAdam(gAdam), loss: (y, p) => binaryCrossEntropy(y, p, gAdam.epsilon) });
    d.trainable = true;
    this.sampler = new Sampler(data, gan.imageShape, gan.zSize, seed);
    this.ones = tf.ones([batchSize, 1]);
    this.zeros = tf.zeros([batchSize, 1]);
  }

  /** The D half: fakes by G.predict, then D's trainOnBatch on the real batch (label 1) and on the fakes (label 0). */
  async stepD(): Promise<{ dLoss: number; acc: number }> {
    const n = this.batchSize;
    const real = this.sampler.realBatch(n);
    const z = this.sampler.noise(n);
    const fake = this.gan.generator.predict(z) as tf.Tensor;
    const [lossReal, accReal] = (await this.gan.discriminator.trainOnBatch(real, this.ones)) as number[];
    const [lossFake, accFake] = (await this.gan.discriminator.trainOnBatch(fake, this.zeros)) as number[];
    tf.dispose([real, z, fake]);
    return { dLoss: 0.5 * (lossReal + lossFake), acc: 0.5 * (accReal + accFake) };
  }

  /** The G half: the combined model (D frozen at compile) on fresh z, label 1. It completes the iteration. */
  async stepG(): Promise<number> {
    const z = this.sampler.noise(this.batchSize);
    const gLoss = (await this.gan.combined.trainOnBatch(z, this.ones)) as number;
    z.dispose();
    this.iteration++;
    return gLoss;
  }

  async step(): Promise<IterationStats> {
    const d = await this.stepD();
    const gLoss = await this.stepG();
    return { iteration: this.iteration, ...d, gLoss };
  }

  dispose(): void {
    tf.dispose([this.ones, this.zeros]);
  }
}
