// @vitest-environment node
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniformData } from '../testing/fixtures';
import { relError } from '../testing/gradientCases';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from './wasmMatMul';

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  installWasmKernelFixes();
});
afterAll(() => uninstallWasmKernelFixes());

async function on(backend: string, f: () => tf.Tensor): Promise<{ values: Float32Array | Int32Array | Uint8Array; shape: number[]; dtype: string }> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const out = tf.tidy(f);
  const r = { values: (await out.data()) as Float32Array, shape: out.shape, dtype: out.dtype };
  out.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return r;
}

async function same(f: () => tf.Tensor, rtol = 0): Promise<void> {
  const want = await on('cpu', f);
  const got = await on('wasm', f);
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  if (rtol === 0) expect(Array.from(got.values)).toEqual(Array.from(want.values));
  else expect(relError(Float32Array.from(got.values), Float32Array.from(want.values))).toBeLessThanOrEqual(rtol);
}

const x = (shape: number[], seed = 1) => tf.tensor(uniformData(shape.reduce((a, b) => a * b, 1), seed), shape);

describe('Tile on wasm equals cpu', () => {
  const cases: Array<[number[], number[]]> = [
    [[1, 1, 1, 8], [4, 3, 5, 1]],
    [[2, 3], [3, 2]],
    [[3], [4]],
    [[2, 1, 3], [1, 4, 2]],
    [[2, 2], [1, 1]],
    [[1, 1, 1, 32], [16, 7, 7, 1]],
  ];
  for (const [shape, reps] of cases) it(`${shape} × ${reps}`, () => same(() => tf.tile(x(shape), reps)));
  it('int32 and bool', async () => {
    await same(() => tf.tile(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), [2, 3]));
    await same(() => tf.tile(tf.tensor1d([1, 0, 1], 'bool'), [3]));
  });
});

describe('Sum and Mean over leading axes on wasm equal cpu', () => {
  const cases: Array<[number[], number[], boolean]> = [
    [[4, 3, 3, 8], [0, 1, 2], false],
    [[4, 3, 3, 8], [0, 1, 2], true],
    [[5, 7], [0], false],
    [[2, 3, 4], [1, 0], true],
    [[6, 5], [-2], false],
    [[4, 3, 3, 8], [1, 2], false], // not leading: tfjs's kernel
    [[4, 3], [0, 1], false], // every axis: tfjs's kernel
    [[64, 14, 14, 32], [0, 1, 2], false],
  ];
  for (const [shape, axes, keepDims] of cases) {
    it(`sum/mean of ${shape} over ${axes}${keepDims ? ' keepDims' : ''}`, async () => {
      await same(() => tf.sum(x(shape, 3), axes, keepDims), 1e-6);
      await same(() => tf.mean(x(shape, 4), axes, keepDims), 1e-6);
    });
  }
});
