import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverage, featureStats, frechetDistance, inceptionScore, scoreOutputs, statsFromJson, statsToJson } from './scores';
import { matrix } from './linalg';
import { Rng } from '../train/random';

const gaussianRows = (count: number, dim: number, seed: number, mean: (j: number) => number = () => 0, sd: (j: number) => number = () => 1) => {
  const rng = new Rng(seed);
  const rows = new Float64Array(count * dim);
  for (let i = 0; i < rows.length; i++) {
    const u = (rng.nextUint32() + 1) / 4294967297;
    const v = rng.nextUint32() / 4294967296;
    const j = i % dim;
    rows[i] = mean(j) + sd(j) * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return rows;
};

/** `count` probability rows, each putting `confidence` on `digit(i)` and the rest evenly on the other nine. */
const confidentRows = (count: number, digit: (i: number) => number, confidence = 1) => {
  const p = new Float64Array(count * 10);
  for (let i = 0; i < count; i++) for (let c = 0; c < 10; c++) p[i * 10 + c] = c === digit(i) ? confidence : (1 - confidence) / 9;
  return p;
};

describe('frechetDistance', () => {
  it('is 0 for the same set and near 0 for two large draws from one distribution', () => {
    const a = featureStats(gaussianRows(4000, 8, 1), 4000, 8);
    expect(frechetDistance(a, a)).toBeLessThan(1e-9);
    const b = featureStats(gaussianRows(4000, 8, 2), 4000, 8);
    // Sampling noise of 8-D standard normals at N = 4000: a few hundredths.
    expect(frechetDistance(a, b)).toBeLessThan(0.05);
  });

  it('is ‖Δμ‖² for shifted means and Σ(σ₁ − σ₂)² for diagonal covariances, exactly on hand-made statistics', () => {
    const eye = matrix(3, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const at = (mean: number[], covariance = eye) => ({ count: 100, mean: Float64Array.from(mean), covariance });
    expect(frechetDistance(at([0, 0, 0]), at([1, 2, 2]))).toBeCloseTo(9, 12);
    const wide = matrix(3, [[4, 0, 0], [0, 9, 0], [0, 0, 1]]);
    // (2−1)² + (3−1)² + 0 = 5, plus the mean shift of 1.
    expect(frechetDistance(at([0, 0, 0]), at([1, 0, 0], wide))).toBeCloseTo(1 + 5, 12);
  });

  it('recovers a known distance from samples: means 3 apart in one of 8 dimensions, one σ doubled', () => {
    const a = featureStats(gaussianRows(20000, 8, 3), 20000, 8);
    const b = featureStats(gaussianRows(20000, 8, 4, (j) => (j === 0 ? 3 : 0), (j) => (j === 1 ? 2 : 1)), 20000, 8);
    // ‖Δμ‖² = 9, (2 − 1)² = 1.
    expect(frechetDistance(a, b)).toBeCloseTo(10, 0);
  });

  it('survives a JSON round trip of the statistics', () => {
    const a = featureStats(gaussianRows(500, 4, 5), 500, 4);
    const back = statsFromJson(JSON.parse(JSON.stringify(statsToJson(a))));
    expect(frechetDistance(a, back)).toBeLessThan(1e-12);
    expect(() => statsFromJson({ count: 1, mean: [0, 0], covariance: [1] })).toThrow(/covariance has 1 values for 2 features/);
  });
});

describe('inceptionScore', () => {
  it('is 10 for confident samples spread evenly over the ten digits and 1 for one digit or no confidence', () => {
    expect(inceptionScore(confidentRows(1000, (i) => i % 10), 1000)).toBeCloseTo(10, 6);
    expect(inceptionScore(confidentRows(1000, () => 3), 1000)).toBeCloseTo(1, 6);
    expect(inceptionScore(confidentRows(1000, (i) => i % 10, 0.1), 1000)).toBeCloseTo(1, 6);
    // Two digits, each drawn with certainty: e^{ln 2} = 2.
    expect(inceptionScore(confidentRows(1000, (i) => 2 + (i % 2)), 1000)).toBeCloseTo(2, 6);
  });

  it('always lies in [1, 10]', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }), { minLength: 1, maxLength: 40 }), (rows) => {
        const probs = rows.flatMap((r) => {
          const s = r.reduce((a, b) => a + b, 0);
          return s > 0 ? r.map((x) => x / s) : r.map(() => 0.1);
        });
        const is = inceptionScore(probs, rows.length);
        expect(is).toBeGreaterThanOrEqual(1 - 1e-9);
        expect(is).toBeLessThanOrEqual(10 + 1e-9);
      }),
    );
  });
});

describe('coverage', () => {
  it('counts one digit for one-class samples, and digits at ≥ 2% only', () => {
    const one = coverage(confidentRows(500, () => 7, 0.9), 500);
    expect(one.digitsCovered).toBe(1);
    expect(one.digitShares[7]).toBe(1);
    expect(one.meanConfidence).toBeCloseTo(0.9, 12);
    // 97 sevens, 2 ones (2%: covered), 1 four (1%: not covered).
    const few = coverage(confidentRows(100, (i) => (i < 97 ? 7 : i < 99 ? 1 : 4)), 100);
    expect(few.digitShares[1]).toBe(0.02);
    expect(few.digitsCovered).toBe(2);
    expect(coverage(confidentRows(1000, (i) => i % 10), 1000).digitsCovered).toBe(10);
  });
});

describe('scoreOutputs', () => {
  it('puts every score under its name', () => {
    const features = Float32Array.from(gaussianRows(200, 64, 9));
    const probs = Float32Array.from(confidentRows(200, (i) => i % 5));
    const s = scoreOutputs({ count: 200, features, probs }, featureStats(features, 200));
    expect(s).toMatchObject({ samples: 200, digitsCovered: 5, meanConfidence: 1 });
    expect(s.frechetDistance).toBeLessThan(1e-9);
    expect(s.inceptionScore).toBeCloseTo(5, 6);
  });
});
