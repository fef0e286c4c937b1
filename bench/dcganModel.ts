// The chapter-4 DCGAN of "GANs in Action" (G 1,637,121 weights, D 95,489), built with tf.layers for the benchmark
// until the engine's dcgan-mnist preset lands, and one iteration of the book's loop: fakes from G in inference mode
// (predict); D trained on the real batch, then on the fakes (two Adam steps); G trained through D with D's batch
// norm in inference mode (a frozen BatchNormalization in Keras 3). Adam defaults, BCE with ε = 1e-7.
import * as tf from '@tensorflow/tfjs';
import { FusedAdamOptimizer } from '../src/kernels/fusedAdam';
import type { ImageSource } from '../src/data/imageSource';

export function dcganGenerator(): tf.LayersModel {
  const bn = () => tf.layers.batchNormalization({ momentum: 0.99, epsilon: 1e-3 });
  const leaky = () => tf.layers.leakyReLU({ alpha: 0.01 });
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [100], units: 7 * 7 * 256 }),
      tf.layers.reshape({ targetShape: [7, 7, 256] }),
      tf.layers.conv2dTranspose({ filters: 128, kernelSize: 3, strides: 2, padding: 'same' }),
      bn(),
      leaky(),
      tf.layers.conv2dTranspose({ filters: 64, kernelSize: 3, strides: 1, padding: 'same' }),
      bn(),
      leaky(),
      tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
    ],
  });
}

export function dcganDiscriminator(): tf.LayersModel {
  const bn = () => tf.layers.batchNormalization({ momentum: 0.99, epsilon: 1e-3 });
  const leaky = () => tf.layers.leakyReLU({ alpha: 0.01 });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, strides: 2, padding: 'same' }),
      leaky(),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same' }),
      bn(),
      leaky(),
      tf.layers.conv2d({ filters: 128, kernelSize: 3, strides: 2, padding: 'same' }),
      bn(),
      leaky(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
}

const EPSILON = 1e-7;
/** Keras's binary cross-entropy on probabilities: clip to [ε, 1 − ε], then the mean of −log p (target 1) or −log(1 − p). */
const bce = (p: tf.Tensor, target: 0 | 1): tf.Scalar => {
  const q = tf.clipByValue(p, EPSILON, 1 - EPSILON);
  return tf.neg(tf.mean(tf.log(target === 1 ? q : tf.sub(1, q)))) as tf.Scalar;
};
const variablesOf = (m: tf.LayersModel) => m.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);


export interface DcganLoop {
  G: tf.LayersModel;
  D: tf.LayersModel;
  /** One iteration; resolves to the losses [D real, D fake, G], read back so the work has really finished. */
  iteration(): Promise<number[]>;
  dispose(): void;
}

export function dcganLoop(images: ImageSource, batch: number, fusedAdam: boolean): DcganLoop {
  const G = dcganGenerator();
  const D = dcganDiscriminator();
  const [gVars, dVars] = [variablesOf(G), variablesOf(D)];
  const adam = () => (fusedAdam ? new FusedAdamOptimizer(1e-3, 0.9, 0.999, EPSILON) : tf.train.adam(1e-3, 0.9, 0.999, EPSILON));
  const [gOpt, dOpt] = [adam(), adam()];
  let rng = 12345;
  const realBatch = () => {
    const x = new Float32Array(batch * 784);
    for (let b = 0; b < batch; b++) {
      rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
      const i = rng % images.count;
      for (let p = 0; p < 784; p++) x[b * 784 + p] = images.pixels[i * 784 + p] / 127.5 - 1;
    }
    return tf.tensor4d(x, [batch, 28, 28, 1]);
  };
  return {
    G,
    D,
    async iteration() {
      const real = realBatch();
      const fake = tf.tidy(() => G.apply(tf.randomNormal([batch, 100]), { training: false }) as tf.Tensor);
      const dReal = dOpt.minimize(() => bce(D.apply(real, { training: true }) as tf.Tensor, 1), true, dVars)!;
      const dFake = dOpt.minimize(() => bce(D.apply(fake, { training: true }) as tf.Tensor, 0), true, dVars)!;
      const z = tf.randomNormal([batch, 100]);
      const gLoss = gOpt.minimize(() => bce(D.apply(G.apply(z, { training: true }) as tf.Tensor, { training: false }) as tf.Tensor, 1), true, gVars)!;
      const losses = await Promise.all([dReal, dFake, gLoss].map(async (t) => (await t.data())[0]));
      tf.dispose([real, fake, z, dReal, dFake, gLoss]);
      return losses;
    },
    dispose() {
      gOpt.dispose();
      dOpt.dispose();
      G.dispose();
      D.dispose();
    },
  };
}
