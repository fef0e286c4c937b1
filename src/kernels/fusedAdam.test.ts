// @vitest-environment node
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { captureAdam, disposeAdamState, restoreAdam } from '../train/adamState';
import { FUSED_ADAM, FusedAdamOptimizer, wasmAdamSimd } from './fusedAdam';
import { uniformData } from '../testing/fixtures';

// In Node the wasm backend finds its .wasm binaries next to its own bundle, so no setWasmPaths.

const data = uniformData;

const SHAPES = [[37, 19], [19], [1]];
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Gradients of one step: mixed magnitudes, exact zeros, and tiny values, to reach every rounding regime. */
function gradients(step: number): Float32Array[] {
  return SHAPES.map((shape, k) => {
    const g = data(size(shape), 1000 * step + k, step % 3 === 0 ? 50 : 1e-3);
    for (let i = 0; i < g.length; i += 7) g[i] = 0;
    for (let i = 3; i < g.length; i += 11) g[i] *= 1e-6;
    return g;
  });
}

interface Internals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  iterations_: number;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

const bits = (t: tf.Tensor) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer);

/** Everything an Adam run leaves behind, as raw float32 bit patterns. */
function state(opt: tf.AdamOptimizer, vars: tf.Variable[]): Uint32Array[] {
  const a = opt as unknown as Internals;
  return [...vars, ...a.accumulatedFirstMoment.map((m) => m.variable), ...a.accumulatedSecondMoment.map((m) => m.variable), a.accBeta1, a.accBeta2].map(bits);
}

function makeVars(tag: string): tf.Variable[] {
  // Variables outlive tidy; the tensors they start from do not.
  return tf.tidy(() => SHAPES.map((shape, k) => tf.variable(tf.tensor(data(size(shape), 7 + k, 0.3), shape), true, `${tag}_${k}_${Math.random()}`)));
}

function step(opt: tf.AdamOptimizer, vars: tf.Variable[], grads: Float32Array[]): void {
  tf.tidy(() => opt.applyGradients(vars.map((v, k) => ({ name: v.name, tensor: tf.tensor(grads[k], v.shape) }))));
}

for (const backend of ['cpu', 'wasm']) {
  describe(`FusedAdamOptimizer on ${backend}`, () => {
    it('runs one fused kernel per variable', async () => {
      await tf.setBackend(backend);
      // On wasm the comparisons below must exercise the SIMD loop (sizes 703, 19 and 1 also reach its JS tail).
      if (backend === 'wasm') expect(wasmAdamSimd(tf.engine().backend)).not.toBeNull();
      const vars = makeVars('k');
      const opt = new FusedAdamOptimizer(1e-3, 0.9, 0.999, 1e-7);
      step(opt, vars, gradients(1));
      const profile = await tf.profile(() => step(opt, vars, gradients(2)));
      const names = profile.kernels.map((k) => k.name);
      expect(names.filter((n) => n === FUSED_ADAM)).toHaveLength(vars.length);
      // Besides the fused updates: the two accβ multiplies (the gradients here are uploads, not kernels).
      expect(names.filter((n) => n !== FUSED_ADAM)).toEqual(['Multiply', 'Multiply']);
      opt.dispose();
      tf.dispose(vars);
    });

    it('is bitwise equal to tf.train.adam over 30 steps: weights, moments, accβ, iterations', async () => {
      await tf.setBackend(backend);
      for (const [lr, b1, b2, eps] of [
        [1e-3, 0.9, 0.999, 1e-7],
        [2e-4, 0.5, 0.999, 1e-7],
        [0.05, 0.8, 0.95, 1e-3],
      ]) {
        const a = makeVars('stock');
        const b = makeVars('fused');
        const stock = tf.train.adam(lr, b1, b2, eps);
        const fused = new FusedAdamOptimizer(lr, b1, b2, eps);
        for (let s = 0; s < 30; s++) {
          const g = gradients(s);
          step(stock, a, g);
          step(fused, b, g);
        }
        expect(state(fused, b)).toEqual(state(stock, a));
        expect((fused as unknown as Internals).iterations_).toBe(30);
        expect((fused as unknown as Internals).accumulatedFirstMoment.map((m) => m.originalName)).toEqual(b.map((v) => `${v.name}/m`));
        stock.dispose();
        fused.dispose();
        tf.dispose([...a, ...b]);
      }
    });

    it('keeps tensors and backend buffers flat over 100 steps, and frees everything on dispose', async () => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const dataIdsBefore = tf.engine().backend.numDataIds();
      const vars = makeVars('leak');
      const opt = new FusedAdamOptimizer(1e-3, 0.9, 0.999, 1e-7);
      step(opt, vars, gradients(0));
      const tensors = tf.memory().numTensors;
      const dataIds = tf.engine().backend.numDataIds();
      for (let s = 1; s <= 100; s++) step(opt, vars, gradients(s));
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.engine().backend.numDataIds()).toBe(dataIds);
      opt.dispose();
      tf.dispose(vars);
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.engine().backend.numDataIds()).toBe(dataIdsBefore);
    });

    it('leaves clones of weights and moments alone, and restores through adamState.ts like stock Adam', async () => {
      await tf.setBackend(backend);
      const runs = [
        { vars: makeVars('snapStock'), opt: tf.train.adam(1e-3, 0.9, 0.999, 1e-7) },
        { vars: makeVars('snapFused'), opt: new FusedAdamOptimizer(1e-3, 0.9, 0.999, 1e-7) as tf.AdamOptimizer },
      ];
      const results = runs.map(({ vars, opt }) => {
        for (let s = 0; s < 3; s++) step(opt, vars, gradients(s));
        // Clones share buffers with the variables they copy: an in-place update would change them too.
        const weights = vars.map((v) => tf.clone(v));
        const weightBits = weights.map(bits);
        const saved = captureAdam(opt);
        const savedBits = [...saved.first, ...saved.second].map(bits);
        step(opt, vars, gradients(3));
        step(opt, vars, gradients(4));
        expect(weights.map(bits)).toEqual(weightBits);
        expect([...saved.first, ...saved.second].map(bits)).toEqual(savedBits);
        vars.forEach((v, k) => v.assign(weights[k]));
        // restoreAdam recomputes accβ with tf.pow, so the comparison is fused vs stock through the same restore.
        restoreAdam(opt, saved);
        step(opt, vars, gradients(5));
        step(opt, vars, gradients(6));
        disposeAdamState(saved);
        tf.dispose(weights);
        const out = state(opt, vars);
        opt.dispose();
        tf.dispose(vars);
        return out;
      });
      expect(results[1]).toEqual(results[0]);
    });
  });
}
