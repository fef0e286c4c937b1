// @vitest-environment node
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniformData } from '../testing/fixtures';
import { elementwiseSimd, type ElementwiseSimd } from './wasmElementwise';
import { installWasmKernelFixes, tanhRational, uninstallWasmKernelFixes } from './wasmMatMul';

// In Node the wasm backend finds its .wasm binaries next to its own bundle, so no setWasmPaths.

let simd: ElementwiseSimd;

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  installWasmKernelFixes();
  const s = elementwiseSimd(tf.backend());
  // Without SIMD on the exported heap the direct tests below would be vacuous.
  expect(s).not.toBeNull();
  simd = s!;
});

afterAll(() => {
  uninstallWasmKernelFixes();
});

const offset = (t: tf.Tensor) => (tf.backend() as unknown as BackendWasm).dataIdMap.get(t.dataId)!.memoryOffset;
const floats = (bits: number[]) => new Float32Array(Uint32Array.from(bits).buffer);
const bitsOf = (x: Float32Array) => new Uint32Array(x.slice().buffer);
const hex = (b: number) => `0x${b.toString(16).padStart(8, '0')}`;

/** Bit patterns every kernel should see: ±0, ±denormals, ±max, ±Inf, quiet and signalling NaNs with payloads and both signs. */
const SPECIAL_BITS = [
  0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff,
  0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0xffc12345, 0x7f800001, 0xff800001, 0x3f800000, 0xbf800000,
];
const SPECIALS = floats(SPECIAL_BITS);

/** Pads to a whole number of groups of four (the SIMD functions' contract) with `fill`. */
function padTo4(x: Float32Array, fill = 0): Float32Array {
  const out = new Float32Array(Math.ceil(x.length / 4) * 4).fill(fill);
  out.set(x);
  return out;
}

/**
 * Runs a SIMD function over `inputs` (each already a multiple of 4 long) into a fresh output that has 4 sentinel floats
 * after it; checks they are untouched and returns the output.
 */
function runSimd(inputs: Float32Array[], call: (offsets: number[], out: number, bytes: number) => void): Float32Array {
  const n = inputs[0].length;
  const ts = inputs.map((v) => tf.tensor(v, [v.length]));
  const out = tf.tensor(new Float32Array(n + 4).fill(-12345), [n + 4]);
  call(ts.map(offset), offset(out), n * 4);
  const all = out.dataSync() as Float32Array;
  expect(Array.from(all.subarray(n))).toEqual([-12345, -12345, -12345, -12345]);
  tf.dispose([...ts, out]);
  return all.slice(0, n);
}

/**
 * Bitwise equality, except that where the reference is the result of arithmetic on a NaN (`arithmetic[i]`), any NaN
 * will do: wasm and JS need not produce the same NaN bits from arithmetic.
 */
function expectSameBits(got: Float32Array, want: Float32Array, arithmetic: boolean[], what: (i: number) => string): void {
  expect(got.length).toBe(want.length);
  const g = bitsOf(got);
  const w = bitsOf(want);
  const bad: string[] = [];
  for (let i = 0; i < g.length; i++) {
    if (g[i] === w[i]) continue;
    if (arithmetic[i] && Number.isNaN(got[i]) && Number.isNaN(want[i])) continue;
    if (bad.length < 10) bad.push(`${what(i)}: got ${hex(g[i])} (${got[i]}), want ${hex(w[i])} (${want[i]})`);
    else break;
  }
  expect(bad).toEqual([]);
}

describe('SIMD tanh', () => {
  it('is within 1e-6 of tanhRational and Math.tanh, over [-40, 40], large |x| and specials', () => {
    const n = 200_000;
    const sweep = Float32Array.from({ length: n }, (_, i) => -40 + (80 * i) / (n - 1));
    const extra = [0, -0, 1e-30, -1e-30, 1e-45, -1e-45, 1e4, -1e4, 3.4e38, -3.4e38, 7.9, -7.9, 7.905311, -7.905311, 0.5, -0.5, 9, -9];
    const src = padTo4(Float32Array.from([...sweep, ...extra, ...SPECIALS]));
    const got = runSimd([src], ([x], out, bytes) => simd.tanh(x, out, bytes));
    const rational = new Float32Array(src.length);
    tanhRational(src, rational);
    let worstRational = 0;
    let worstExact = 0;
    const nanMismatches: number[] = [];
    for (let i = 0; i < src.length; i++) {
      // NaN in, NaN out; NaN for anything else is a failure (Math.max would hide it).
      if (Number.isNaN(src[i]) !== Number.isNaN(got[i])) nanMismatches.push(src[i]);
      if (Number.isNaN(src[i])) continue;
      worstRational = Math.max(worstRational, Math.abs(got[i] - rational[i]));
      worstExact = Math.max(worstExact, Math.abs(got[i] - Math.tanh(src[i])));
    }
    expect(nanMismatches).toEqual([]);
    expect(worstRational).toBeLessThan(1e-6);
    expect(worstExact).toBeLessThan(1e-6);
  });

  it('maps ±Inf to ±1, NaN to NaN, keeps the sign of zero, and is odd bit for bit', () => {
    const base = padTo4(Float32Array.from([Infinity, -Infinity, NaN, 0, -0, ...uniformData(27, 5, 10)]));
    const src = padTo4(Float32Array.from([...base, ...base.map((x) => -x)]));
    const got = runSimd([src], ([x], out, bytes) => simd.tanh(x, out, bytes));
    expect(Math.abs(got[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(got[1] + 1)).toBeLessThan(1e-6);
    expect(got[2]).toBeNaN();
    expect(Object.is(got[3], 0)).toBe(true);
    expect(Object.is(got[4], -0)).toBe(true);
    const half = base.length;
    for (let i = 0; i < half; i++) {
      if (Number.isNaN(src[i])) continue;
      expect(bitsOf(got.subarray(half + i, half + i + 1))[0], `tanh(${-src[i]}) vs −tanh(${src[i]})`).toBe(bitsOf(Float32Array.of(-got[i]))[0]);
    }
  });

  it('writes nothing for 0 bytes', () => {
    const got = runSimd([new Float32Array(4).fill(1)], ([x], out) => simd.tanh(x, out, 0));
    expect(Array.from(got)).toEqual([-12345, -12345, -12345, -12345]);
  });
});

const ALPHAS = [0.2, 0.01, 0.3, 0.25, 1.5, 0, -0.5];

describe('SIMD leakyRelu', () => {
  for (const alpha of ALPHAS) {
    it(`equals x < 0 ? fround(α)·x : x bit for bit (α = ${alpha})`, () => {
      const src = padTo4(Float32Array.from([...SPECIALS, ...uniformData(203, 11, 3)]), -0);
      const got = runSimd([src], ([x], out, bytes) => simd.leakyRelu(x, out, bytes, alpha));
      const a = Math.fround(alpha);
      const srcBits = bitsOf(src);
      const want = new Float32Array(src.length);
      const wantBits = new Uint32Array(want.buffer);
      const arithmetic: boolean[] = [];
      for (let i = 0; i < src.length; i++) {
        arithmetic.push(src[i] < 0);
        if (src[i] < 0) want[i] = a * src[i];
        // Untouched lanes keep their exact bits (NaN payloads and signs included).
        else wantBits[i] = srcBits[i];
      }
      expectSameBits(got, want, arithmetic, (i) => `x = ${hex(srcBits[i])} (${src[i]})`);
    });
  }

  it('writes nothing for 0 bytes', () => {
    const got = runSimd([new Float32Array(4).fill(-1)], ([x], out) => simd.leakyRelu(x, out, 0, 0.2));
    expect(Array.from(got)).toEqual([-12345, -12345, -12345, -12345]);
  });
});

describe('SIMD leakyReluGrad', () => {
  // Every special dy against every special x, then random values around zero.
  const xs: number[] = [];
  const dys: number[] = [];
  for (const x of SPECIAL_BITS) {
    for (const dy of SPECIAL_BITS) {
      xs.push(x);
      dys.push(dy);
    }
  }
  const x = padTo4(Float32Array.from([...floats(xs), ...uniformData(301, 21, 2)]), 0);
  const dy = padTo4(Float32Array.from([...floats(dys), ...uniformData(301, 22, 5)]), 1);

  for (const alpha of ALPHAS) {
    it(`equals x > 0 ? dy : dy·fround(α) bit for bit (α = ${alpha})`, () => {
      const got = runSimd([dy, x], ([d, xx], out, bytes) => simd.leakyReluGrad(d, xx, out, bytes, alpha));
      const a = Math.fround(alpha);
      const dyBits = bitsOf(dy);
      const xBits = bitsOf(x);
      const want = new Float32Array(x.length);
      const wantBits = new Uint32Array(want.buffer);
      const arithmetic: boolean[] = [];
      for (let i = 0; i < x.length; i++) {
        arithmetic.push(!(x[i] > 0));
        if (x[i] > 0) wantBits[i] = dyBits[i];
        else want[i] = dy[i] * a;
      }
      expectSameBits(got, want, arithmetic, (i) => `x = ${hex(xBits[i])}, dy = ${hex(dyBits[i])}`);
    });
  }

  it('writes nothing for 0 bytes', () => {
    const got = runSimd([new Float32Array(4).fill(1), new Float32Array(4).fill(1)], ([d, xx], out) => simd.leakyReluGrad(d, xx, out, 0, 0.2));
    expect(Array.from(got)).toEqual([-12345, -12345, -12345, -12345]);
  });
});

/** f on a backend with a fresh tensor of `values`; returns the output's values. */
async function runOn(backend: string, values: Float32Array, shape: number[], f: (x: tf.Tensor) => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor(values, shape, 'float32');
  const y = f(x);
  const out = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  return out;
}

describe('tf.tanh and tf.leakyRelu on wasm with the fixes (SIMD groups plus JS tail)', () => {
  const shapes: number[][] = [[0], [1], [3], [4], [5], [7], [8], [130], [3, 43], [2, 2, 3]];
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  // Specials first, so they land in the SIMD part for larger sizes and in the tail for small ones.
  const values = (n: number, seed: number) => {
    const v = uniformData(n, seed, 9);
    const specials = [NaN, -0, 0, Infinity, -Infinity, 1e-45, -1e-45];
    for (let i = 0; i < n; i++) if (i % 5 === 1) v[i] = specials[Math.floor(i / 5) % specials.length];
    return v;
  };

  for (const shape of shapes) {
    it(`tanh ${JSON.stringify(shape)}: within 1e-6 of cpu; SIMD groups, then tanhRational for the tail`, async () => {
      const n = size(shape);
      const v = values(n, n + 1);
      const ref = await runOn('cpu', v, shape, (t) => tf.tanh(t));
      const got = await runOn('wasm', v, shape, (t) => tf.tanh(t));
      expect(got.length).toBe(n);
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(ref[i])) expect(got[i], `tanh(${v[i]})`).toBeNaN();
        else expect(Math.abs(got[i] - ref[i]), `tanh(${v[i]}) = ${got[i]}, cpu ${ref[i]}`).toBeLessThan(1e-6);
      }
      // Which path computed each element: SIMD results for whole groups of 4, tanhRational for the rest.
      const n4 = n & ~3;
      const simdPart = n4 > 0 ? runSimd([v.slice(0, n4)], ([x], out, bytes) => simd.tanh(x, out, bytes)) : new Float32Array(0);
      const rational = new Float32Array(n);
      tanhRational(v, rational);
      expect(bitsOf(got.slice(0, n4))).toEqual(bitsOf(simdPart));
      expect(bitsOf(got.slice(n4))).toEqual(bitsOf(rational.slice(n4)));
    });

    for (const alpha of [0.2, 0.25]) {
      it(`leakyRelu ${JSON.stringify(shape)} α=${alpha}: bitwise equal to stock wasm and to x < 0 ? fround(α)·x : x`, async () => {
        const n = size(shape);
        const v = values(n, n + 2);
        const fixed = await runOn('wasm', v, shape, (t) => tf.leakyRelu(t, alpha));
        uninstallWasmKernelFixes();
        let stock: Float32Array;
        try {
          stock = await runOn('wasm', v, shape, (t) => tf.leakyRelu(t, alpha));
        } finally {
          installWasmKernelFixes();
        }
        const a = Math.fround(alpha);
        const rule = v.map((x) => (x < 0 ? a * x : x));
        // No arithmetic NaNs here (the only NaN input is passed through), so plain bitwise equality.
        expect(bitsOf(fixed)).toEqual(bitsOf(stock));
        expect(bitsOf(fixed)).toEqual(bitsOf(rule));
      });
    }

    it(`leakyRelu ${JSON.stringify(shape)} α=0.25 (exact in float32): bitwise equal to cpu`, async () => {
      const n = size(shape);
      const v = values(n, n + 3);
      const ref = await runOn('cpu', v, shape, (t) => tf.leakyRelu(t, 0.25));
      const got = await runOn('wasm', v, shape, (t) => tf.leakyRelu(t, 0.25));
      expect(bitsOf(got)).toEqual(bitsOf(ref));
    });
  }

  it('leakyRelu with α = 0.2 matches cpu to float32 rounding (cpu multiplies by the double α)', async () => {
    const v = values(130, 99);
    const ref = await runOn('cpu', v, [130], (t) => tf.leakyRelu(t, 0.2));
    const got = await runOn('wasm', v, [130], (t) => tf.leakyRelu(t, 0.2));
    for (let i = 0; i < v.length; i++) {
      if (Number.isNaN(ref[i])) expect(got[i]).toBeNaN();
      else if (!Object.is(got[i], ref[i])) expect(Math.abs(got[i] - ref[i]), `x = ${v[i]}`).toBeLessThanOrEqual(Math.abs(ref[i]) * 2 ** -23);
    }
  });
});
