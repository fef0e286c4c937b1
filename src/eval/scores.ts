// The quality meter's numbers, from what the digit classifier says about a set of images: the Fréchet distance of its
// penultimate features to the test set's, the Inception Score of its probabilities, coverage (the share of each digit
// among the samples; a digit counts as covered at ≥ 2%) and mean confidence. Pure functions of plain arrays.
import { matrix, meanAndCovariance, trace, traceSqrtProduct, type Matrix } from './linalg';
import { CLASSES, FEATURE_SIZE, type ClassifierOutputs } from './classifier';
import { COVERAGE_THRESHOLD } from './thresholds';

/** Mean and covariance of a set of feature vectors: what the Fréchet distance compares. */
export interface FeatureStats {
  count: number;
  mean: Float64Array;
  covariance: Matrix;
}

export { COVERAGE_THRESHOLD };

export interface Scores {
  /** Images scored. */
  samples: number;
  /** Fréchet distance to the test set's features (lower is better; real data scores near the reference). */
  frechetDistance: number;
  /** exp(E[KL(p(y|x) ‖ p(y))]): 1 (one digit, or no confident digit) to 10 (all ten digits, each drawn confidently). */
  inceptionScore: number;
  /** Share of samples the classifier assigns to each digit 0–9 (argmax); sums to 1. */
  digitShares: number[];
  /** How many digits have a share of at least 2%. */
  digitsCovered: number;
  /** Mean of the classifier's top probability per sample. */
  meanConfidence: number;
}

/** One scored checkpoint of a run, as the training panel charts it and the runs library keeps it. */
export interface ScorePoint {
  iteration: number;
  scores: Scores;
  /** A conditional GAN's: for each digit 0–9, the share of samples asked for it that the classifier reads as it. */
  perLabelAccuracy?: number[];
}

export function featureStats(features: ArrayLike<number>, count: number, dim = FEATURE_SIZE): FeatureStats {
  const { mean, covariance } = meanAndCovariance(features, count, dim);
  return { count, mean, covariance };
}

/** ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½), clamped at 0 (round-off can make identical sets come out at −1e-12). */
export function frechetDistance(a: FeatureStats, b: FeatureStats): number {
  if (a.mean.length !== b.mean.length) throw new Error(`frechetDistance: ${a.mean.length} vs ${b.mean.length} features`);
  let d = 0;
  for (let i = 0; i < a.mean.length; i++) d += (a.mean[i] - b.mean[i]) ** 2;
  const fd = d + trace(a.covariance) + trace(b.covariance) - 2 * traceSqrtProduct(a.covariance, b.covariance);
  return Math.max(0, fd);
}

/** Inception Score of `count` probability rows of `classes` values each. */
export function inceptionScore(probs: ArrayLike<number>, count: number, classes = CLASSES): number {
  const eps = 1e-12;
  const marginal = new Float64Array(classes);
  for (let i = 0; i < count; i++) for (let c = 0; c < classes; c++) marginal[c] += probs[i * classes + c];
  for (let c = 0; c < classes; c++) marginal[c] /= count;
  let kl = 0;
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < classes; c++) {
      const p = probs[i * classes + c];
      if (p > 0) kl += p * (Math.log(p + eps) - Math.log(marginal[c] + eps));
    }
  }
  return Math.exp(kl / count);
}

/** Share of each class by argmax, and the mean top probability. */
export function coverage(probs: ArrayLike<number>, count: number, classes = CLASSES): { digitShares: number[]; digitsCovered: number; meanConfidence: number } {
  const counts = new Array<number>(classes).fill(0);
  let confidence = 0;
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
    counts[best]++;
    confidence += probs[i * classes + best];
  }
  const digitShares = counts.map((n) => n / count);
  return { digitShares, digitsCovered: digitShares.filter((s) => s >= COVERAGE_THRESHOLD).length, meanConfidence: confidence / count };
}

/** All scores of one set of classifier outputs against the reference (test-set) feature statistics. */
export function scoreOutputs(outputs: ClassifierOutputs, reference: FeatureStats): Scores {
  const stats = featureStats(outputs.features, outputs.count);
  return {
    samples: outputs.count,
    frechetDistance: frechetDistance(stats, reference),
    inceptionScore: inceptionScore(outputs.probs, outputs.count),
    ...coverage(outputs.probs, outputs.count),
  };
}

/** Feature statistics as JSON-safe arrays (what scripts/classifier-stats.ts ships) and back. */
export interface FeatureStatsJson {
  count: number;
  mean: number[];
  /** Row-major, dim × dim. */
  covariance: number[];
}

export const statsToJson = (s: FeatureStats): FeatureStatsJson => ({ count: s.count, mean: Array.from(s.mean), covariance: Array.from(s.covariance.data) });

export function statsFromJson(j: FeatureStatsJson): FeatureStats {
  const dim = j.mean.length;
  if (j.covariance.length !== dim * dim) throw new Error(`feature statistics: covariance has ${j.covariance.length} values for ${dim} features`);
  const covariance = matrix(dim);
  covariance.data.set(j.covariance);
  return { count: j.count, mean: Float64Array.from(j.mean), covariance };
}
