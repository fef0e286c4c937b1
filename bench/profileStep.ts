/**
 * Profiles one GAN training iteration (the MNIST model of the app) on the
 * wasm backend in Node, and times variants of the step.
 *
 *   npx tsx bench/profileStep.ts            # ITERS=30 by default
 *
 * Model: G: z(100) → Dense 128 → LeakyReLU(0.01) → Dense 784 tanh → 28×28×1;
 *        D: Flatten → Dense 128 → LeakyReLU(0.01) → Dense 1 sigmoid.
 * Iteration: D step on 128 reals (label 1), D step on 128 fakes (label 0),
 * G step through D (label 1); Adam(0.001, 0.9, 0.999, 1e-7); BCE with ε=1e-7 clip.
 * Images are random in [-1, 1]: timing does not depend on the pixel values.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  installWasmKernelFixes,
  uninstallWasmKernelFixes,
} from '../src/kernels/wasmMatMul';

const BATCH = 128;
const Z = 100;
const EPS = 1e-7;
const ITERS = Number(process.env.ITERS ?? 30);

function buildG(): tf.Sequential {
  const init = { kernelInitializer: 'glorotUniform', biasInitializer: 'zeros' } as const;
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 128, inputShape: [Z], ...init }),
      tf.layers.leakyReLU({ alpha: 0.01 }),
      tf.layers.dense({ units: 784, activation: 'tanh', ...init }),
      tf.layers.reshape({ targetShape: [28, 28, 1] }),
    ],
  });
}

function buildD(): tf.Sequential {
  const init = { kernelInitializer: 'glorotUniform', biasInitializer: 'zeros' } as const;
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 128, ...init }),
      tf.layers.leakyReLU({ alpha: 0.01 }),
      tf.layers.dense({ units: 1, activation: 'sigmoid', ...init }),
    ],
  });
}

/** Binary cross-entropy on probabilities, clipped to [ε, 1-ε]. */
function bce(p: tf.Tensor, label: 0 | 1): tf.Scalar {
  const q = tf.clipByValue(p, EPS, 1 - EPS);
  // With a constant label only one log term survives.
  return tf.neg(tf.mean(label === 1 ? tf.log(q) : tf.log(tf.sub(1, q)))) as tf.Scalar;
}

/** BCE from logits: softplus(-l) for label 1, softplus(l) for label 0 (no clip needed). */
function bceLogits(logits: tf.Tensor, label: 0 | 1): tf.Scalar {
  return tf.mean(tf.softplus(label === 1 ? tf.neg(logits) : logits));
}

function vars(m: tf.LayersModel): tf.Variable[] {
  // LayerVariable.read() returns the backing tf.Variable.
  return m.trainableWeights.map((w) => w.read() as tf.Variable);
}

interface Gan {
  G: tf.Sequential;
  D: tf.Sequential;
  gOpt: tf.Optimizer;
  dOpt: tf.Optimizer;
  gVars: tf.Variable[];
  dVars: tf.Variable[];
  real: tf.Tensor4D;
}

function makeGan(): Gan {
  const G = buildG();
  const D = buildD();
  return {
    G,
    D,
    gOpt: tf.train.adam(0.001, 0.9, 0.999, 1e-7),
    dOpt: tf.train.adam(0.001, 0.9, 0.999, 1e-7),
    gVars: vars(G),
    dVars: vars(D),
    real: tf.randomUniform([BATCH, 28, 28, 1], -1, 1),
  };
}

type Step = (gan: Gan) => void;

/** The straightforward step through tf.layers' apply(). */
const layersStep: Step = ({ G, D, gOpt, dOpt, gVars, dVars, real }) => {
  tf.tidy(() => {
    dOpt.minimize(() => bce(D.apply(real) as tf.Tensor, 1), true, dVars)?.dispose();
    const z1 = tf.randomNormal([BATCH, Z]);
    const fake = G.apply(z1) as tf.Tensor; // outside the tape: D step only
    dOpt.minimize(() => bce(D.apply(fake) as tf.Tensor, 0), true, dVars)?.dispose();
    const z2 = tf.randomNormal([BATCH, Z]);
    gOpt.minimize(() => bce(D.apply(G.apply(z2) as tf.Tensor) as tf.Tensor, 1), true, gVars)
      ?.dispose();
  });
};

/**
 * Same math on the same variables, written with tf.fused.matMul (linear +
 * bias fuses even under the gradient tape), one leakyRelu kernel, no
 * Flatten/Reshape layers.
 */
function leanStep(logitsLoss: boolean, fused = true): Step {
  return ({ gOpt, dOpt, gVars, dVars, real }) => {
    const [gW1, gB1, gW2, gB2] = gVars;
    const [dW1, dB1, dW2, dB2] = dVars;
    // fused.matMul's custom gradient computes dA and dB eagerly, even when
    // the tape needs only one (dx of the images in D steps, D's dW in the G
    // step); tf.matMul's registered gradient is lazy per input.
    const dense = (x: tf.Tensor, w: tf.Variable, b: tf.Variable) =>
      fused
        ? tf.fused.matMul({ a: x as tf.Tensor2D, b: w as unknown as tf.Tensor2D, bias: b })
        : tf.add(tf.matMul(x, w), b);
    const gen = (z: tf.Tensor) => tf.tanh(dense(tf.leakyRelu(dense(z, gW1, gB1), 0.01), gW2, gB2));
    const dLogits = (x: tf.Tensor) => dense(tf.leakyRelu(dense(x, dW1, dB1), 0.01), dW2, dB2);
    const loss = (x: tf.Tensor, label: 0 | 1) =>
      logitsLoss ? bceLogits(dLogits(x), label) : bce(tf.sigmoid(dLogits(x)), label);
    tf.tidy(() => {
      const realFlat = tf.reshape(real, [BATCH, 784]);
      dOpt.minimize(() => loss(realFlat, 1), true, dVars)?.dispose();
      const fake = gen(tf.randomNormal([BATCH, Z]));
      dOpt.minimize(() => loss(fake, 0), true, dVars)?.dispose();
      const z2 = tf.randomNormal([BATCH, Z]);
      gOpt.minimize(() => loss(gen(z2), 1), true, gVars)?.dispose();
    });
  };
}

interface Variant {
  name: string;
  step: Step;
  fixes: boolean;
}

function setFixes(on: boolean): void {
  if (on) installWasmKernelFixes();
  else uninstallWasmKernelFixes();
}

/**
 * Median ms/iter per variant. Variants run round-robin (one iteration each
 * per round) so that load from other processes on this shared 2-core box
 * hits all of them alike.
 */
async function msPerIter(gan: Gan, variants: Variant[]): Promise<number[]> {
  const times = variants.map(() => [] as number[]);
  for (let round = -3; round < ITERS; round++) {
    for (let v = 0; v < variants.length; v++) {
      setFixes(variants[v].fixes);
      const start = performance.now();
      variants[v].step(gan);
      await gan.gVars[0].data(); // wasm is synchronous; this just closes the iteration
      if (round >= 0) times[v].push(performance.now() - start);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

async function profileTable(gan: Gan, step: Step, title: string): Promise<void> {
  const info = await tf.profile(() => step(gan));
  const byName = new Map<string, { n: number; ms: number }>();
  let total = 0;
  for (const k of info.kernels) {
    const ms = Number(k.kernelTimeMs);
    total += ms;
    const e = byName.get(k.name) ?? { n: 0, ms: 0 };
    e.n += 1;
    e.ms += ms;
    byName.set(k.name, e);
  }
  const rows = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
  console.log(`\n${title}: ${info.kernels.length} kernel calls, ${total.toFixed(2)} ms summed kernel time`);
  console.log(`${'kernel'.padEnd(18)} ${'calls'.padStart(5)} ${'total ms'.padStart(9)} ${'share'.padStart(6)}`);
  for (const [name, e] of rows) {
    console.log(
      `${name.padEnd(18)} ${String(e.n).padStart(5)} ${e.ms.toFixed(3).padStart(9)} ${((100 * e.ms) / total).toFixed(1).padStart(5)}%`,
    );
  }
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  tf.enableProdMode(); // skips per-kernel NaN checks / debug work, as the app should

  const gan = makeGan();
  const variants: Variant[] = [
    { name: 'layers step, original kernels', step: layersStep, fixes: false },
    { name: 'layers step, kernel fixes', step: layersStep, fixes: true },
    { name: 'lean, fused matMul, fixes', step: leanStep(false), fixes: true },
    { name: 'lean, fused matMul + logits BCE, fixes', step: leanStep(true), fixes: true },
    { name: 'lean, matMul+add, fixes', step: leanStep(false, false), fixes: true },
    { name: 'lean, matMul+add + logits BCE, fixes', step: leanStep(true, false), fixes: true },
  ];
  const ms = await msPerIter(gan, variants);
  setFixes(true);
  console.log(`ms/iter (median of ${ITERS}, round-robin), batch ${BATCH}, wasm, tfjs ${tf.version.tfjs}`);
  variants.forEach((v, i) => console.log(`  ${v.name.padEnd(40)} ${ms[i].toFixed(2).padStart(7)}`));

  await profileTable(gan, layersStep, 'layers step with fixes');
  await profileTable(gan, leanStep(true, false), 'lean step, matMul+add, logits BCE, with fixes');
  const before = tf.memory().numTensors;
  layersStep(gan);
  leanStep(true)(gan);
  leanStep(true, false)(gan);
  console.log(`\ntensor leak per iteration: ${tf.memory().numTensors - before}`);
}

await main();
