// @vitest-environment node
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { uniformData } from '../testing/fixtures';
import { relError } from '../testing/gradientCases';
import { wasmBackendMemory } from './wasmAsm';
import { gemmKernel, gemmModuleBytes, gemmTiles } from './wasmGemm';

// In Node the wasm backend finds its .wasm binaries next to its own bundle, so no setWasmPaths.

let memory: WebAssembly.Memory;

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  const m = wasmBackendMemory(tf.backend());
  // Without the exported heap every test below would be vacuous.
  expect(m).not.toBeNull();
  memory = m!;
});

const backend = () => tf.backend() as unknown as BackendWasm;
const offset = (t: tf.Tensor) => backend().dataIdMap.get(t.dataId)!.memoryOffset;

/** C[i,j] = Σ_k A[i,k]·B[j,k] in float64. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      c[i * n + j] = s;
    }
  }
  return c;
}

/** max |actual − expected| ≤ rtol · max |expected|: summation order differs, so error is relative to the output's scale. */
function expectClose(actual: Float32Array, expected: Float64Array, rtol = 1e-5): void {
  expect(expected.some((x) => x !== 0), 'a non-zero expected output').toBe(true);
  // relError counts NaN (an element the kernel never wrote) and a length mismatch as infinite.
  expect(relError(actual, expected)).toBeLessThanOrEqual(rtol);
}

/** Runs the kernel on fresh heap tensors; C starts as NaN so unwritten elements show. Returns C and the reference. */
function runGemm(m: number, k: number, n: number, seed: number): { got: Float32Array; want: Float64Array } {
  const gemm = gemmKernel(memory, m, k, n);
  expect(gemm).not.toBeNull();
  const av = uniformData(m * k, seed);
  const bv = uniformData(n * k, seed + 1, 0.5);
  const a = tf.tensor(av, [m, k]);
  const b = tf.tensor(bv, [n, k]);
  const c = tf.tensor(new Float32Array(m * n).fill(NaN), [m, n]);
  gemm!(offset(a), offset(b), offset(c));
  const got = c.dataSync() as Float32Array;
  // Inputs untouched (counted, not toEqual: vitest's diff of 100k-element arrays takes minutes).
  const changed = (t: tf.Tensor, v: Float32Array) => (t.dataSync() as Float32Array).filter((x, i) => !Object.is(x, v[i])).length;
  expect(changed(a, av)).toBe(0);
  expect(changed(b, bv)).toBe(0);
  tf.dispose([a, b, c]);
  return { got, want: reference(av, bv, m, k, n) };
}

const pair = ({ got, want }: { got: Float32Array; want: Float64Array }): [Float32Array, Float64Array] => [got, want];

describe('gemmTiles', () => {
  it('accepts shapes whose m and k are multiples of 4 and n of 2', () => {
    for (const [m, k, n] of [
      [4, 4, 2],
      [8, 12, 6],
      [128, 784, 128],
      [128, 128, 784],
      [784, 128, 128],
      [128, 100, 128],
      [100, 128, 128],
      [4, 4, 4],
    ]) {
      expect(gemmTiles(m, k, n), `${m}×${k}×${n}`).toBe(true);
    }
  });

  it('rejects anything else', () => {
    for (const [m, k, n] of [
      [0, 4, 2],
      [4, 0, 2],
      [4, 4, 0],
      [-4, 4, 2],
      [4, -4, 2],
      [4, 4, -2],
      [2, 4, 2],
      [6, 4, 2],
      [4, 2, 2],
      [4, 6, 2],
      [4, 4, 1],
      [4, 4, 3],
      [128, 784, 1],
      [5, 7, 3],
      [4.5, 4, 2],
      [NaN, 4, 2],
    ]) {
      expect(gemmTiles(m, k, n), `${m}×${k}×${n}`).toBe(false);
    }
  });

  it('gemmModuleBytes throws and gemmKernel returns null for untiled shapes', () => {
    for (const [m, k, n] of [
      [5, 4, 2],
      [4, 6, 2],
      [4, 4, 3],
      [0, 4, 2],
    ]) {
      expect(() => gemmModuleBytes(m, k, n)).toThrow();
      expect(gemmKernel(memory, m, k, n)).toBeNull();
    }
  });

  it('emits valid modules for tiled shapes', () => {
    for (const [m, k, n] of [
      [4, 4, 2],
      [8, 12, 6],
      [128, 784, 128],
      [784, 128, 128],
    ]) {
      expect(WebAssembly.validate(gemmModuleBytes(m, k, n)), `${m}×${k}×${n}`).toBe(true);
    }
  });
});

describe('gemmKernel on the wasm heap', () => {
  const shapes: Array<[number, number, number]> = [
    [4, 4, 2],
    [8, 12, 6],
    [4, 8, 10],
    [12, 4, 2],
    [128, 784, 128],
    [128, 128, 784],
    [784, 128, 128],
    [128, 100, 128],
    [100, 128, 128],
  ];
  for (const [m, k, n] of shapes) {
    it(`C = A·Bᵀ for ${m}×${k}×${n} matches a float64 reference`, () => {
      const { got, want } = runGemm(m, k, n, m * 7 + k * 3 + n);
      expectClose(got, want);
    });
  }

  it('computes exact small products exactly (index layout check)', () => {
    // Integers small enough that every float32 sum is exact: any mix-up of rows, columns or lanes shows.
    const [m, k, n] = [8, 12, 6];
    const av = Float32Array.from({ length: m * k }, (_, i) => (i % 7) - 3);
    const bv = Float32Array.from({ length: n * k }, (_, i) => (i % 5) - 2);
    const a = tf.tensor(av, [m, k]);
    const b = tf.tensor(bv, [n, k]);
    const c = tf.tensor(new Float32Array(m * n).fill(NaN), [m, n]);
    gemmKernel(memory, m, k, n)!(offset(a), offset(b), offset(c));
    expect(Array.from(c.dataSync())).toEqual(Array.from(reference(av, bv, m, k, n)));
    tf.dispose([a, b, c]);
  });

  it('writes only C: the floats around it are untouched', () => {
    const [m, k, n] = [8, 12, 6];
    const a = tf.tensor(uniformData(m * k, 3), [m, k]);
    const b = tf.tensor(uniformData(n * k, 4), [n, k]);
    // C in the middle of a larger buffer, with guards before and after.
    const guard = 16;
    const big = tf.tensor(new Float32Array(m * n + 2 * guard).fill(12345), [m * n + 2 * guard]);
    gemmKernel(memory, m, k, n)!(offset(a), offset(b), offset(big) + guard * 4);
    const all = big.dataSync() as Float32Array;
    expect(Array.from(all.subarray(0, guard))).toEqual(Array(guard).fill(12345));
    expect(Array.from(all.subarray(guard + m * n))).toEqual(Array(guard).fill(12345));
    expectClose(all.slice(guard, guard + m * n), reference(a.dataSync() as Float32Array, b.dataSync() as Float32Array, m, k, n));
    tf.dispose([a, b, big]);
  });

  it('caches one kernel per shape and heap', () => {
    expect(gemmKernel(memory, 8, 12, 6)).toBe(gemmKernel(memory, 8, 12, 6));
    expect(gemmKernel(memory, 8, 12, 6)).not.toBe(gemmKernel(memory, 12, 8, 6));
  });

  it('keeps working after the heap grows', () => {
    const [m, k, n] = [128, 784, 128];
    gemmKernel(memory, m, k, n); // compiled against the current heap
    expectClose(...pair(runGemm(m, k, n, 101)));
    const before = memory.buffer.byteLength;
    // At least 64 MB and at least the current heap size, so the allocation cannot fit without growing.
    const floats = Math.max(16 << 20, before / 4);
    const big = tf.tensor(new Float32Array(floats).fill(1), [floats]);
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    // Old and new allocations (the new ones may lie beyond the old heap end).
    expectClose(...pair(runGemm(m, k, n, 202)));
    expectClose(...pair(runGemm(8, 12, 6, 303)));
    // The big tensor is intact (the kernel wrote only its own C).
    const bigValues = big.dataSync() as Float32Array;
    expect(bigValues[0]).toBe(1);
    expect(bigValues[floats - 1]).toBe(1);
    big.dispose();
  });
});
