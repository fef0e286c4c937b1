import { describe, expect, it } from 'vitest';
import { matrix, meanAndCovariance, multiply, sqrtPsd, symmetricEigen, trace, traceSqrtProduct, type Matrix } from './linalg';
import { Rng } from '../train/random';

const gaussian = (rng: Rng) => {
  const u = (rng.nextUint32() + 1) / 4294967297;
  const v = rng.nextUint32() / 4294967296;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
};

/** A random symmetric positive-definite n×n matrix: G·Gᵀ + εI. */
function randomSpd(n: number, seed: number, eps = 1e-3): Matrix {
  const rng = new Rng(seed);
  const g = matrix(n);
  for (let i = 0; i < g.data.length; i++) g.data[i] = gaussian(rng);
  const gt = transpose(g);
  const a = multiply(g, gt);
  for (let i = 0; i < n; i++) a.data[i * n + i] += eps;
  return a;
}

function transpose(a: Matrix): Matrix {
  const t = matrix(a.n);
  for (let i = 0; i < a.n; i++) for (let j = 0; j < a.n; j++) t.data[j * a.n + i] = a.data[i * a.n + j];
  return t;
}

const maxAbsDiff = (a: Matrix, b: Matrix) => a.data.reduce((m, x, i) => Math.max(m, Math.abs(x - b.data[i])), 0);

describe('symmetricEigen', () => {
  it('finds the eigenvalues of known matrices', () => {
    const two = symmetricEigen(matrix(2, [[2, 1], [1, 2]]));
    expect(Array.from(two.values).sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
    // The 3×3 second-difference matrix: eigenvalues 2 − 2cos(kπ/4).
    const three = symmetricEigen(matrix(3, [[2, -1, 0], [-1, 2, -1], [0, -1, 2]]));
    const expected = [1, 2, 3].map((k) => 2 - 2 * Math.cos((k * Math.PI) / 4)).sort();
    Array.from(three.values).sort().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });

  it('reconstructs a random 64×64 symmetric matrix from V·diag·Vᵀ with orthonormal V', () => {
    const a = randomSpd(64, 3);
    const { values, vectors } = symmetricEigen(a);
    const n = 64;
    const d = matrix(n);
    for (let i = 0; i < n; i++) d.data[i * n + i] = values[i];
    const back = multiply(multiply(vectors, d), transpose(vectors));
    expect(maxAbsDiff(back, a) / Math.max(...a.data.map(Math.abs))).toBeLessThan(1e-12);
    const identity = multiply(transpose(vectors), vectors);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(identity.data[i * n + j]).toBeCloseTo(i === j ? 1 : 0, 12);
  });
});

describe('sqrtPsd', () => {
  it('takes the square root of a diagonal and of a rotated diagonal matrix', () => {
    expect(Array.from(sqrtPsd(matrix(2, [[4, 0], [0, 9]])).data)).toEqual([2, 0, 0, 3]);
    // R·diag(1, 16)·Rᵀ with a 30° rotation has the root R·diag(1, 4)·Rᵀ.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const r = matrix(2, [[c, -s], [s, c]]);
    const a = multiply(multiply(r, matrix(2, [[1, 0], [0, 16]])), transpose(r));
    const want = multiply(multiply(r, matrix(2, [[1, 0], [0, 4]])), transpose(r));
    expect(maxAbsDiff(sqrtPsd(a), want)).toBeLessThan(1e-13);
  });

  it('squares back to a random 64×64 covariance, also a rank-deficient one', () => {
    for (const eps of [1e-3, 0]) {
      const a = randomSpd(64, 11, eps);
      const r = sqrtPsd(a);
      expect(maxAbsDiff(multiply(r, r), a) / Math.max(...a.data.map(Math.abs))).toBeLessThan(1e-10);
    }
    // Rank 1: v·vᵀ has root v·vᵀ/‖v‖.
    const v = [1, 2, 2];
    const a = matrix(3, v.map((x) => v.map((y) => x * y)));
    const root = sqrtPsd(a);
    v.forEach((x, i) => v.forEach((y, j) => expect(root.data[i * 3 + j]).toBeCloseTo((x * y) / 3, 7)));
  });
});

describe('traceSqrtProduct', () => {
  it('is Tr(A) for B = A, and Σ√(aᵢbᵢ) for diagonal matrices', () => {
    const a = randomSpd(16, 5);
    expect(traceSqrtProduct(a, a)).toBeCloseTo(trace(a), 9);
    expect(traceSqrtProduct(matrix(3, [[1, 0, 0], [0, 4, 0], [0, 0, 9]]), matrix(3, [[9, 0, 0], [0, 1, 0], [0, 0, 4]]))).toBeCloseTo(3 + 2 + 6, 12);
  });

  it('matches the 2×2 closed form √(Tr(AB) + 2√(det A · det B)) for matrices that do not commute', () => {
    const a = matrix(2, [[2, 1], [1, 3]]);
    const b = matrix(2, [[5, -2], [-2, 1]]);
    const det = (m: Matrix) => m.data[0] * m.data[3] - m.data[1] * m.data[2];
    const want = Math.sqrt(trace(multiply(a, b)) + 2 * Math.sqrt(det(a) * det(b)));
    expect(traceSqrtProduct(a, b)).toBeCloseTo(want, 12);
    expect(traceSqrtProduct(b, a)).toBeCloseTo(want, 12);
  });
});

describe('meanAndCovariance', () => {
  it('computes the sample mean and N−1 covariance', () => {
    // Rows (1, 2), (3, 6), (5, 10): y = 2x exactly.
    const { mean, covariance } = meanAndCovariance([1, 2, 3, 6, 5, 10], 3, 2);
    expect(Array.from(mean)).toEqual([3, 6]);
    expect(Array.from(covariance.data)).toEqual([4, 8, 8, 16]);
    expect(() => meanAndCovariance([1, 2], 1, 2)).toThrow(/at least 2/);
  });
});
