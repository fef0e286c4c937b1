// Small dense linear algebra in Float64 for the Fréchet distance: mean and covariance of feature rows, the symmetric
// eigendecomposition (cyclic Jacobi), and the trace of the square root of a product of two covariance matrices.
// Plain TS, no tfjs: float32 on a GPU is not precise enough for a difference of traces of 64×64 matrices.

/** A square n×n matrix, row-major. */
export interface Matrix {
  n: number;
  data: Float64Array;
}

export function matrix(n: number, rows?: readonly (readonly number[])[]): Matrix {
  const data = new Float64Array(n * n);
  if (rows) {
    if (rows.length !== n || rows.some((r) => r.length !== n)) throw new Error(`matrix: expected ${n}×${n} values`);
    rows.forEach((r, i) => data.set(r, i * n));
  }
  return { n, data };
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  const n = a.n;
  const out = matrix(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a.data[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out.data[i * n + j] += aik * b.data[k * n + j];
    }
  }
  return out;
}

export function trace(a: Matrix): number {
  let t = 0;
  for (let i = 0; i < a.n; i++) t += a.data[i * a.n + i];
  return t;
}

/** Mean and (sample, N−1) covariance of `count` rows of `dim` values each. */
export function meanAndCovariance(rows: ArrayLike<number>, count: number, dim: number): { mean: Float64Array; covariance: Matrix } {
  if (count < 2) throw new Error('meanAndCovariance needs at least 2 rows');
  if (rows.length !== count * dim) throw new Error(`meanAndCovariance: expected ${count * dim} values, got ${rows.length}`);
  const mean = new Float64Array(dim);
  for (let r = 0; r < count; r++) for (let j = 0; j < dim; j++) mean[j] += rows[r * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= count;
  const cov = matrix(dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < dim; j++) centred[j] = rows[r * dim + j] - mean[j];
    // Upper triangle only; mirrored below.
    for (let i = 0; i < dim; i++) {
      const ci = centred[i];
      if (ci === 0) continue;
      const row = i * dim;
      for (let j = i; j < dim; j++) cov.data[row + j] += ci * centred[j];
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = cov.data[i * dim + j] / (count - 1);
      cov.data[i * dim + j] = v;
      cov.data[j * dim + i] = v;
    }
  }
  return { mean, covariance: cov };
}

/**
 * Eigendecomposition of a symmetric matrix by cyclic Jacobi rotations: A = V·diag(values)·Vᵀ, V's columns the
 * eigenvectors. Quadratically convergent and accurate to working precision for symmetric input, which is all the
 * meter needs (64×64 in well under a millisecond per sweep). Only the upper triangle is trusted to be symmetric.
 */
export function symmetricEigen(a: Matrix, maxSweeps = 100): { values: Float64Array; vectors: Matrix } {
  const n = a.n;
  const m = new Float64Array(a.data);
  // Symmetrise: round-off in a covariance computed elsewhere must not stall convergence.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[j * n + i] = m[i * n + j] = 0.5 * (m[i * n + j] + m[j * n + i]);
  const v = matrix(n);
  for (let i = 0; i < n; i++) v.data[i * n + i] = 1;
  const scale = Math.max(1e-300, frobenius(m));
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
    if (Math.sqrt(off) <= 1e-15 * scale) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const app = m[p * n + p];
        const aqq = m[q * n + q];
        // Rotation angle that zeroes m[p][q] (Golub & Van Loan 8.4.2), the smaller root for stability.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        m[p * n + q] = m[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v.data[k * n + p];
          const vkq = v.data[k * n + q];
          v.data[k * n + p] = c * vkp - s * vkq;
          v.data[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i];
  return { values, vectors: v };
}

function frobenius(m: Float64Array): number {
  let s = 0;
  for (const x of m) s += x * x;
  return Math.sqrt(s);
}

/** The principal square root of a symmetric positive semi-definite matrix (tiny negative eigenvalues, round-off, → 0). */
export function sqrtPsd(a: Matrix): Matrix {
  const { values, vectors } = symmetricEigen(a);
  const n = a.n;
  const out = matrix(n);
  for (let k = 0; k < n; k++) {
    const s = Math.sqrt(Math.max(0, values[k]));
    if (s === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = vectors.data[i * n + k] * s;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) out.data[i * n + j] += vik * vectors.data[j * n + k];
    }
  }
  return out;
}

/**
 * Tr((A·B)^½) for symmetric PSD A and B. A·B is not symmetric, but with R = A^½ it is similar to R·B·R, which is
 * symmetric PSD: same eigenvalues, so the trace is the sum of the square roots of R·B·R's eigenvalues. Only
 * symmetric eigenproblems are solved, which is what keeps this stable where a general sqrtm of A·B can go complex.
 */
export function traceSqrtProduct(a: Matrix, b: Matrix): number {
  const r = sqrtPsd(a);
  const { values } = symmetricEigen(multiply(multiply(r, b), r));
  let t = 0;
  for (const v of values) t += Math.sqrt(Math.max(0, v));
  return t;
}
