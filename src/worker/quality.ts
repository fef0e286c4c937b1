// The quality meter inside the training worker: scores a live CompiledGan's generator at a checkpoint (N samples
// through the digit classifier, awaiting between batches so pause/stop and the page's requests get through), a
// conditional GAN's per-label accuracy, and when a run's data can be scored at all. The generator runs in inference
// mode from its own seeded z, so scoring never draws from the training's random stream: a scored run trains exactly
// as an unscored one.
import * as tf from '@tensorflow/tfjs';
import type { CompiledGan } from '../train/compile';
import { INFERENCE } from '../train/trainer';
import { hashString } from '../train/random';
import { classify, CLASSES, IMAGE_SIDE } from '../eval/classifier';
import { scoreOutputs, type ScorePoint } from '../eval/scores';
import type { QualityMeter } from '../eval/meter';
import type { GraphDocument } from '../graph/document';
import type { Msg } from '../i18n/ui';
import { imageDatasetOf } from '../data/storedDataset';

/** Images generated and classified per batch: small enough that one batch is a short task on WASM. */
export const SCORE_BATCH = 250;
/** Samples scored to estimate a run's first score's cost: the fewest the Fréchet distance takes (EVAL_SAMPLES_RANGE). */
export const PROBE_SAMPLES = 100;

/** Why the meter cannot score this run (it knows MNIST digits only), or undefined when it can. */
export function qualityNotApplicable(doc: GraphDocument, imageShape: readonly number[]): Msg | undefined {
  const dataset = imageDatasetOf(doc);
  const [h, w, c = 1] = imageShape;
  if (dataset !== 'mnist' || h !== IMAGE_SIDE || w !== IMAGE_SIDE || c !== 1) {
    return { scope: 'ui', key: 'quality.notMnist', args: { shape: `${h}×${w}×${c}` } };
  }
  return undefined;
}

/**
 * Scores `samples` images of `gan`'s generator at `iteration`. A conditional generator is asked for the digits 0–9 in
 * turn (sample i asks for i mod 10), so coverage reads as "did it draw every digit asked for" and the per-label
 * accuracy says, for each digit, how often the classifier reads the image as the digit asked for.
 */
export async function scoreGan(
  meter: QualityMeter,
  gan: CompiledGan,
  options: { iteration: number; samples: number; seed: number; yieldFn: () => Promise<void>; batchSize?: number },
): Promise<ScorePoint> {
  const seed = hashString(`eval:${options.seed}:${options.iteration}`);
  const labelClasses = gan.labelClasses === undefined ? undefined : Math.min(gan.labelClasses, CLASSES);
  const { generatorInputs, generatorLabel } = gan.structure;
  const asked = (i: number) => i % labelClasses!;
  const outputs = await classify(
    meter.heads,
    options.samples,
    (start, n) => {
      // tfjs treats a seed of 0 as "no seed": offset by one so every draw is reproducible.
      const z = tf.randomNormal([n, gan.zSize], 0, 1, 'float32', ((seed + start) >>> 0) + 1);
      const labels = labelClasses === undefined ? undefined : tf.tensor2d(Int32Array.from({ length: n }, (_, k) => asked(start + k)), [n, 1], 'int32');
      return gan.gForward(
        generatorInputs.map((id) => (id === generatorLabel ? labels! : z)),
        INFERENCE,
      );
    },
    options.batchSize ?? SCORE_BATCH,
    options.yieldFn,
  );
  const scores = scoreOutputs(outputs, meter.test);
  if (labelClasses === undefined) return { iteration: options.iteration, scores };
  const hits = new Array<number>(CLASSES).fill(0);
  const total = new Array<number>(CLASSES).fill(0);
  for (let i = 0; i < outputs.count; i++) {
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (outputs.probs[i * CLASSES + c] > outputs.probs[i * CLASSES + best]) best = c;
    const want = asked(i);
    total[want]++;
    if (best === want) hits[want]++;
  }
  // Digits the generator has no label for (fewer than 10 classes) are NaN: not asked, not measured.
  return { iteration: options.iteration, scores, perLabelAccuracy: total.map((t, d) => (t > 0 ? hits[d] / t : Number.NaN)) };
}

/**
 * When to score: every sample interval, unless scoring would take more than `budget` of the time (0.05: training
 * slows by at most ~5%). Then an interval is scored once the training time since the last score is at least
 * (1 − budget) / budget times what that score cost, so the meter's share of the time stays within the budget. Before
 * a run's first score its cost is an estimate from a small probe (the session's), never unbounded.
 */
export function dueForScore(trainingMsSinceLast: number, lastScoreMs: number | undefined, budget: number): boolean {
  if (lastScoreMs === undefined || budget >= 1) return true;
  return trainingMsSinceLast >= (lastScoreMs * (1 - budget)) / budget;
}
