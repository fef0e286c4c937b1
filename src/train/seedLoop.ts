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

  async step(): Promise<IterationStats> {
    const n = this.batchSize;
    const real = this.sampler.realBatch(n);
    const z = this.sampler.noise(n);
    const fake = this.gan.generator.predict(z) as tf.Tensor;
    const [lossReal, accReal] = (await this.gan.discriminator.trainOnBatch(real, this.ones)) as number[];
    const [lossFake, accFake] = (await this.gan.discriminator.trainOnBatch(fake, this.zeros)) as number[];
    const z2 = this.sampler.noise(n);
    const gLoss = (await this.gan.combined.trainOnBatch(z2, this.ones)) as number;
    tf.dispose([real, z, fake, z2]);
    this.iteration++;
    return { iteration: this.iteration, dLoss: 0.5 * (lossReal + lossFake), acc: 0.5 * (accReal + accFake), gLoss };
  }

  dispose(): void {
    tf.dispose([this.ones, this.zeros]);
  }
}
