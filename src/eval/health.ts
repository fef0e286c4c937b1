// Training-health alerts from measured values only: mode collapse (the quality meter's coverage falls to a few digits),
// D winning (D's accuracy ≥ 99% while G's loss climbs for 2,000 iterations) and no learning (D's accuracy near 50%
// with flat losses from the start). Pure: the training panel, the headless runner and tests call it with the history
// they have; each alert carries an engine message key and the measured numbers it quotes. NaN is handled elsewhere
// (the run pauses and restores the last good checkpoint).
import { COVERAGE_THRESHOLD } from './thresholds';

/** A per-batch reading (TrainingRun's `fine` history: every checkEvery iterations). */
export interface HealthReading {
  iteration: number;
  dLoss: number;
  acc: number;
  gLoss: number;
}

/** A quality-meter reading at a checkpoint. */
export interface CoverageReading {
  iteration: number;
  samples: number;
  digitsCovered: number;
  digitShares: number[];
  meanConfidence: number;
}

export type HealthAlertKind = 'modeCollapse' | 'dWinning' | 'noLearning';

export interface HealthAlert {
  kind: HealthAlertKind;
  /** The iteration of the last reading the alert is based on. */
  iteration: number;
  /** Engine message key (src/i18n/messages.ts) and its arguments: what was measured and what to try. */
  code: `health.${HealthAlertKind}`;
  args: Record<string, string | number>;
}

export const HEALTH_RULES = {
  /** Mode collapse: at most this many digits covered (share ≥ 2%), or one digit with at least this share… */
  collapseDigits: 3,
  collapseTopShare: 0.8,
  /** …at this many consecutive scored checkpoints… */
  collapseReadings: 2,
  /** …that G draws confidently (early blobs are few digits too, but the classifier is unsure of them)… */
  collapseConfidence: 0.6,
  /** …and not before this iteration (the first checkpoints of a healthy run can still be unsure). */
  collapseFrom: 1000,
  /** D winning: D's accuracy, averaged over the window, at least this… */
  dWinningAccuracy: 0.99,
  /** …over this many iterations… */
  dWinningIterations: 2000,
  /** …while G's loss, fitted by a straight line over the window, rises by at least this much. */
  dWinningGLossRise: 0.25,
  /** No learning: D's accuracy stays within 50% ± this… */
  noLearningAccuracyBand: 0.1,
  /** …and neither loss moves by more than this (max − min)… */
  noLearningLossRange: 0.05,
  /** …for at least this many iterations from the start. */
  noLearningIterations: 1000,
} as const;

export type HealthRules = { [K in keyof typeof HEALTH_RULES]: number };

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const fixed = (x: number, d = 3) => x.toFixed(d);

/** Least-squares line through (x, y): its values at the first and last x. */
function fittedEnds(xs: number[], ys: number[]): { start: number; end: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { start: my + slope * (xs[0] - mx), end: my + slope * (xs[n - 1] - mx) };
}

export function modeCollapse(scores: readonly CoverageReading[], rules: HealthRules = HEALTH_RULES): HealthAlert | undefined {
  const recent = scores.slice(-rules.collapseReadings);
  if (recent.length < rules.collapseReadings) return undefined;
  const collapsed = (s: CoverageReading) =>
    s.iteration >= rules.collapseFrom && (s.digitsCovered <= rules.collapseDigits || Math.max(...s.digitShares) >= rules.collapseTopShare) && s.meanConfidence >= rules.collapseConfidence;
  if (!recent.every(collapsed)) return undefined;
  const last = recent[recent.length - 1];
  let top = 0;
  last.digitShares.forEach((s, d) => {
    if (s > last.digitShares[top]) top = d;
  });
  const covered = last.digitShares.map((s, d) => ({ s, d })).filter((x) => x.s >= COVERAGE_THRESHOLD).map((x) => x.d);
  const peak = scores.reduce((best, s) => (s.digitsCovered > best.digitsCovered ? s : best), scores[0]);
  return {
    kind: 'modeCollapse',
    iteration: last.iteration,
    code: 'health.modeCollapse',
    args: {
      iteration: last.iteration,
      covered: last.digitsCovered,
      digits: covered.join(', '),
      samples: last.samples,
      top,
      share: pct(last.digitShares[top]),
      confidence: pct(last.meanConfidence),
      peak: peak.digitsCovered,
      peakAt: peak.iteration,
      since: recent[0].iteration,
    },
  };
}

export function dWinning(fine: readonly HealthReading[], rules: HealthRules = HEALTH_RULES): HealthAlert | undefined {
  if (fine.length < 3) return undefined;
  const last = fine[fine.length - 1];
  const from = last.iteration - rules.dWinningIterations;
  // The window must reach back the whole span: a reading at or before its start exists.
  if (fine[0].iteration > from) return undefined;
  const window = fine.filter((r) => r.iteration >= from);
  if (window.length < 3) return undefined;
  const acc = window.reduce((a, r) => a + r.acc, 0) / window.length;
  if (acc < rules.dWinningAccuracy) return undefined;
  const { start, end } = fittedEnds(
    window.map((r) => r.iteration),
    window.map((r) => r.gLoss),
  );
  if (end - start < rules.dWinningGLossRise) return undefined;
  return {
    kind: 'dWinning',
    iteration: last.iteration,
    code: 'health.dWinning',
    args: { from: window[0].iteration, to: last.iteration, acc: pct(acc), gFrom: fixed(start), gTo: fixed(end) },
  };
}

export function noLearning(fine: readonly HealthReading[], rules: HealthRules = HEALTH_RULES): HealthAlert | undefined {
  if (fine.length < 3) return undefined;
  const last = fine[fine.length - 1];
  if (last.iteration < rules.noLearningIterations) return undefined;
  const range = (f: (r: HealthReading) => number) => Math.max(...fine.map(f)) - Math.min(...fine.map(f));
  const accMin = Math.min(...fine.map((r) => r.acc));
  const accMax = Math.max(...fine.map((r) => r.acc));
  if (accMin < 0.5 - rules.noLearningAccuracyBand || accMax > 0.5 + rules.noLearningAccuracyBand) return undefined;
  const moved = Math.max(range((r) => r.dLoss), range((r) => r.gLoss));
  if (moved > rules.noLearningLossRange) return undefined;
  return {
    kind: 'noLearning',
    iteration: last.iteration,
    code: 'health.noLearning',
    args: { iterations: last.iteration, accMin: pct(accMin), accMax: pct(accMax), moved: fixed(moved), dLoss: fixed(last.dLoss), gLoss: fixed(last.gLoss) },
  };
}

/** Every alert that the history so far supports (none for a healthy run). */
export function healthAlerts(history: { fine: readonly HealthReading[]; scores: readonly CoverageReading[] }, rules: HealthRules = HEALTH_RULES): HealthAlert[] {
  return [modeCollapse(history.scores, rules), dWinning(history.fine, rules), noLearning(history.fine, rules)].filter((a): a is HealthAlert => a !== undefined);
}
