// @vitest-environment node
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniformData } from '../testing/fixtures';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from './wasmMatMul';

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  installWasmKernelFixes();
});
afterAll(() => uninstallWasmKernelFixes());

async function on(backend: string, f: () => tf.Tensor): Promise<{ values: number[]; shape: number[]; dtype: string }> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const out = tf.tidy(f);
  const r = { values: Array.from(await out.data()), shape: out.shape, dtype: out.dtype };
  out.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return r;
}

const CASES: Array<{ name: string; x: number[]; dtype?: 'float32' | 'int32'; ids: number[]; segments: number }> = [
  { name: 'repeated ids out of order (an Embedding batch)', x: [8, 6], ids: [7, 3, 3, 0, 9, 7, 7, 1], segments: 10 },
  { name: 'ids beyond numSegments and negative add nothing', x: [5, 3], ids: [2, -1, 5, 0, 2], segments: 3 },
  { name: 'segments no id names stay zero; 3-D x', x: [4, 2, 3], ids: [1, 1, 4, 1], segments: 6 },
  { name: 'int32 values', x: [6, 2], dtype: 'int32', ids: [1, 0, 1, 1, 2, 0], segments: 3 },
  { name: 'the CGAN D embedding gradient: 32 labels × 784', x: [32, 784], ids: Array.from({ length: 32 }, (_, i) => (i * 7) % 10), segments: 10 },
];

describe('UnsortedSegmentSum on wasm equals cpu', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const n = c.x.reduce((a, b) => a * b, 1);
      const values = c.dtype === 'int32' ? Int32Array.from({ length: n }, (_, i) => (i * 37) % 11 - 5) : uniformData(n, 3);
      const f = () => tf.unsortedSegmentSum(tf.tensor(values, c.x, c.dtype ?? 'float32'), tf.tensor1d(c.ids, 'int32'), c.segments);
      const want = await on('cpu', f);
      const got = await on('wasm', f);
      expect(got.shape).toEqual(want.shape);
      // TensorFlow keeps x's dtype; tfjs's cpu kernel returns float32 for int32 x (its mask is float32).
      expect(got.dtype).toBe(c.dtype ?? 'float32');
      const scale = Math.max(...want.values.map(Math.abs));
      got.values.forEach((v, i) => expect(Math.abs(v - want.values[i])).toBeLessThanOrEqual(1e-6 * scale));
    });
  }

  it('2-D ids over the leading two axes (tfjs cpu cannot broadcast these; expected values by hand)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 2, 2]);
    const out = tf.unsortedSegmentSum(x, tf.tensor2d([[0, 2], [2, 1], [0, 0]], [3, 2], 'int32') as unknown as tf.Tensor1D, 3);
    expect(out.shape).toEqual([3, 2]);
    expect(Array.from(await out.data())).toEqual([1 + 9 + 11, 2 + 10 + 12, 7, 8, 3 + 5, 4 + 6]);
    tf.dispose([x, out]);
  });

  it('is the gradient of gather: an Embedding row used three times gets three rows of dy', async () => {
    await tf.setBackend('wasm');
    const g = tf.tidy(() => tf.grad((e: tf.Tensor) => tf.sum(tf.mul(tf.gather(e, tf.tensor1d([4, 1, 4, 4], 'int32')), tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]))))(tf.zeros([5, 2])));
    expect(Array.from(await g.data())).toEqual([0, 0, 3, 4, 0, 0, 0, 0, 13, 16]);
    g.dispose();
  });
});
