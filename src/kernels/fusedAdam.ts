/**
 * Adam in one kernel per variable.
 *
 * tfjs's AdamOptimizer (4.22, optimizers/adam_optimizer.js) spends ~14 small kernels on each variable per step
 * (mul, mul, add, square, mul, mul, add, div, div, sqrt, add, div, mul, add). The 'GanvasAdamUpdate' kernel reads
 * w, g, m, v once and writes m', v', w' in one pass, evaluating tfjs's own sequence in float32:
 *
 *   m' = m·β1 + g·(1−β1)          v' = v·β2 + g²·(1−β2)
 *   m̂ = m' / (1−accβ1)            v̂ = v' / (1−accβ2)
 *   w' = (m̂ / (√v̂ + ε))·(−lr) + w
 *
 * Each scalar is the float32 tfjs would make of it (a scalar tensor) and each intermediate is rounded to float32
 * (Math.fround). Computing in double and rounding once is correctly rounded for + − × ÷ √ of float32 operands
 * (53 ≥ 2·24 + 2 bits), which is what the cpu and wasm backends' float32 kernels produce, so on those backends the
 * results are bitwise equal to stock Adam. On wasm the bulk of each variable goes through a hand-assembled WebAssembly
 * SIMD loop instead (f32x4 ops are IEEE float32, so the same bits, ~4x faster than the JS loop). WebGL runs three small
 * shaders in float32 (GPU division and sqrt need not be correctly rounded, so agreement there is to a few ulps).
 *
 * The kernel is functional: it allocates its three outputs and the optimizer assigns them. Writing into the
 * variables' buffers would save three allocations, but tfjs tensors share buffers (tf.clone, snapshots of weights and
 * moments taken for checkpoints), so an in-place write could silently change someone else's tensor.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { F32, heapOffset, I32, ins, V128, wasmBackendMemory, wasmModule } from './wasmAsm';
import type { GpgpuProgram, WebGLBackendLike } from './webglProgram';

export const FUSED_ADAM = 'GanvasAdamUpdate';

export interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  [key: string]: number;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** The kernel's inputs: the variable, its gradient, its two moments, and the optimizer's accβ1/accβ2 scalars. */
interface AdamInputs {
  value: tf.TensorInfo;
  gradient: tf.TensorInfo;
  m: tf.TensorInfo;
  v: tf.TensorInfo;
  accBeta1: tf.TensorInfo;
  accBeta2: tf.TensorInfo;
}
const adamInputs = (inputs: KernelArgs['inputs']): AdamInputs => inputs as unknown as AdamInputs;

/** The float32 scalars tfjs's AdamOptimizer multiplies and adds with, for the current bias corrections. */
interface AdamScalars {
  b1: number;
  omb1: number;
  b2: number;
  omb2: number;
  /** 1 − accβ1 and 1 − accβ2, as tfjs's sub(1, accBeta) computes them in float32. */
  oma1: number;
  oma2: number;
  eps: number;
  /** −learningRate. */
  nlr: number;
}

const f32 = Math.fround;

function scalars(a: FusedAdamAttrs, accBeta1: number, accBeta2: number): AdamScalars {
  return {
    b1: f32(a.beta1),
    // tfjs computes 1 − β1 in double, then the scalar tensor rounds it.
    omb1: f32(1 - a.beta1),
    b2: f32(a.beta2),
    omb2: f32(1 - a.beta2),
    oma1: f32(1 - accBeta1),
    oma2: f32(1 - accBeta2),
    eps: f32(a.epsilon),
    nlr: f32(-a.learningRate),
  };
}

/** The update over float32 buffers; exported for tests. Outputs may not alias inputs other than their own. */
export function adamLoop(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  outW: Float32Array,
  outM: Float32Array,
  outV: Float32Array,
  s: AdamScalars,
): void {
  const { b1, omb1, b2, omb2, oma1, oma2, eps, nlr } = s;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = f32(f32(m[i] * b1) + f32(gi * omb1));
    const vi = f32(f32(v[i] * b2) + f32(f32(gi * gi) * omb2));
    const mh = f32(mi / oma1);
    const vh = f32(vi / oma2);
    outM[i] = mi;
    outV[i] = vi;
    // The store into the Float32Array is the last rounding.
    outW[i] = f32(f32(mh / f32(f32(Math.sqrt(vh)) + eps)) * nlr) + w[i];
  }
}

/**
 * V8 allocates a function's feedback only after a few calls; if the first call is already a 100k-element loop it
 * may be optimised without type feedback and deopt (see the same note in wasmMatMul.ts). A few tiny calls first.
 */
function warmUp(): void {
  const a = new Float32Array([0.5, -0.25, 1e-3, 0]);
  const o = new Float32Array(4);
  const s = scalars({ beta1: 0.9, beta2: 0.999, epsilon: 1e-7, learningRate: 1e-3 }, 0.9, 0.999);
  for (let i = 0; i < 32; i++) adamLoop(a, a, a, a, o, o, o, s);
}

interface CpuBackendLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

function cpuKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const cpu = backend as unknown as CpuBackendLike;
  const { value, gradient, m, v, accBeta1, accBeta2 } = adamInputs(inputs);
  // The cpu backend keeps each tensor's values in a typed array; readSync hands that array back without a copy.
  const read = (t: tf.TensorInfo) => cpu.readSync(t.dataId) as Float32Array;
  const s = scalars(attrs as FusedAdamAttrs, read(accBeta1)[0], read(accBeta2)[0]);
  const n = read(value).length;
  const outM = new Float32Array(n);
  const outV = new Float32Array(n);
  const outW = new Float32Array(n);
  adamLoop(read(value), read(gradient), read(m), read(v), outW, outM, outV, s);
  return [cpu.makeTensorInfo(m.shape, 'float32', outM), cpu.makeTensorInfo(v.shape, 'float32', outV), cpu.makeTensorInfo(value.shape, 'float32', outW)];
}

// The wasm path's inner loop as a tiny WebAssembly SIMD function (emitted with wasmAsm.ts) on the backend's own heap:
// f32x4 mul/add/div/sqrt are IEEE float32 operations, exactly what the wasm backend's kernels compute, at 4 lanes (the
// JS loop needs doubles and a fround per step, ~3x slower than tfjs's own 14 kernels on wasm).
//   adam(w, g, m, v, outW, outM, outV: byte offsets, n4: elements, a multiple of 4, b1 omb1 b2 omb2 oma1 oma2 eps nlr: f32)
const { get, set, tee, i32, i32add, i32shl, i32eqz, i32ltu, block, loop, brIf, end, v128load, v128store, f32x4splat, f32x4sqrt, f32x4add, f32x4mul, f32x4div } = ins;
const load = v128load(0);
const store = v128store(0);
// Locals: params 0-6 offsets, 7 n4, 8-15 scalars; 16 i (bytes), 17 end, 18-25 splatted scalars, 26 g, 27 m', 28 v'.
const at = (base: number) => [...get(base), ...get(16), ...i32add];
const adamBody = [
  ...get(7), ...i32(2), ...i32shl, ...set(17),
  ...[8, 9, 10, 11, 12, 13, 14, 15].flatMap((p) => [...get(p), ...f32x4splat, ...set(p + 10)]),
  ...block, ...get(17), ...i32eqz, ...brIf(0),
  ...loop,
  ...at(1), ...load, ...set(26),
  // m' = m·β1 + g·(1−β1)
  ...at(2), ...load, ...get(18), ...f32x4mul, ...get(26), ...get(19), ...f32x4mul, ...f32x4add, ...set(27),
  // v' = v·β2 + (g·g)·(1−β2)
  ...at(3), ...load, ...get(20), ...f32x4mul, ...get(26), ...get(26), ...f32x4mul, ...get(21), ...f32x4mul, ...f32x4add, ...set(28),
  ...at(5), ...get(27), ...store,
  ...at(6), ...get(28), ...store,
  // w' = ((m'/(1−accβ1)) / (√(v'/(1−accβ2)) + ε))·(−lr) + w
  ...at(4),
  ...get(27), ...get(22), ...f32x4div,
  ...get(28), ...get(23), ...f32x4div, ...f32x4sqrt, ...get(24), ...f32x4add,
  ...f32x4div, ...get(25), ...f32x4mul,
  ...at(0), ...load, ...f32x4add,
  ...store,
  ...get(16), ...i32(16), ...i32add, ...tee(16), ...get(17), ...i32ltu, ...brIf(0),
  ...end, ...end, // loop, block (wasmModule closes the function)
];
const ADAM_WASM = wasmModule([
  { name: 'adam', params: [...Array<number>(8).fill(I32), ...Array<number>(8).fill(F32)], locals: [[2, I32], [11, V128]], body: adamBody },
]);

type AdamSimd = (w: number, g: number, m: number, v: number, ow: number, om: number, ov: number, n4: number, ...s: number[]) => void;
const simdByBackend = new WeakMap<object, AdamSimd | null>();

/** The SIMD update bound to this wasm backend's memory, or null where SIMD or the exported memory is unavailable. */
export function wasmAdamSimd(backend: object): AdamSimd | null {
  if (simdByBackend.has(backend)) return simdByBackend.get(backend)!;
  let fn: AdamSimd | null = null;
  // The non-threaded builds export their memory (Module.asm.memory); the threaded build imports a shared one.
  const memory = wasmBackendMemory(backend);
  if (memory && WebAssembly.validate(ADAM_WASM)) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(ADAM_WASM), { env: { memory } });
    fn = instance.exports.adam as AdamSimd;
  }
  simdByBackend.set(backend, fn);
  return fn;
}

function wasmKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as unknown as BackendWasm;
  const { value, gradient, m, v, accBeta1, accBeta2 } = adamInputs(inputs);
  const outM = wasm.makeOutput(m.shape, 'float32');
  const outV = wasm.makeOutput(v.shape, 'float32');
  const outW = wasm.makeOutput(value.shape, 'float32');
  // Views only after every malloc: growing the heap detaches earlier views.
  const heap = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
  const s = scalars(attrs as FusedAdamAttrs, heap(accBeta1)[0], heap(accBeta2)[0]);
  const n = heap(value).length;
  const simd = wasmAdamSimd(backend);
  // The SIMD function takes whole groups of 4; the JS loop does the rest (or everything without SIMD).
  const n4 = simd ? n & ~3 : 0;
  if (simd && n4 > 0) {
    const offset = (t: tf.TensorInfo) => heapOffset(wasm, t);
    simd(offset(value), offset(gradient), offset(m), offset(v), offset(outW), offset(outM), offset(outV), n4, s.b1, s.omb1, s.b2, s.omb2, s.oma1, s.oma2, s.eps, s.nlr);
  }
  if (n4 < n) {
    const tail = (t: tf.TensorInfo) => heap(t).subarray(n4);
    adamLoop(tail(value), tail(gradient), tail(m), tail(v), tail(outW), tail(outM), tail(outV), s);
  }
  return [outM, outV, outW];
}

// One output per program in tfjs's GPGPU model, so three passes; w' reads the fresh m' and v'. The shader prelude
// declares `precision highp float`, and float32 textures carry the values.
const momentProgram = (shape: number[], square: boolean): GpgpuProgram => ({
  variableNames: ['X', 'G'],
  outputShape: shape,
  customUniforms: [
    { name: 'beta', type: 'float' },
    { name: 'oneMinusBeta', type: 'float' },
  ],
  userCode: `
    void main() {
      float g = getGAtOutCoords();
      setOutput(getXAtOutCoords() * beta + ${square ? 'g * g' : 'g'} * oneMinusBeta);
    }`,
});

const valueProgram = (shape: number[]): GpgpuProgram => ({
  variableNames: ['W', 'M', 'V', 'A1', 'A2'],
  outputShape: shape,
  customUniforms: [
    { name: 'eps', type: 'float' },
    { name: 'negLr', type: 'float' },
  ],
  userCode: `
    void main() {
      float mh = getMAtOutCoords() / (1.0 - getA1());
      float vh = getVAtOutCoords() / (1.0 - getA2());
      setOutput(mh / (sqrt(vh) + eps) * negLr + getWAtOutCoords());
    }`,
});

function webglKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const gl = backend as unknown as WebGLBackendLike;
  const { value, gradient, m, v, accBeta1, accBeta2 } = adamInputs(inputs);
  // accβ stays on the GPU (an input texture): reading it here would stall the pipeline every step.
  const s = scalars(attrs as FusedAdamAttrs, 0, 0);
  const outM = gl.compileAndRun(momentProgram(m.shape, false), [m, gradient], 'float32', [[s.b1], [s.omb1]]);
  const outV = gl.compileAndRun(momentProgram(v.shape, true), [v, gradient], 'float32', [[s.b2], [s.omb2]]);
  const outW = gl.compileAndRun(valueProgram(value.shape), [value, outM, outV, accBeta1, accBeta2], 'float32', [[s.eps], [s.nlr]]);
  return [outM, outV, outW];
}

const KERNELS: ReadonlyArray<[string, (args: KernelArgs) => tf.TensorInfo[]]> = [
  ['cpu', cpuKernel],
  ['wasm', wasmKernel],
  ['webgl', webglKernel],
];

/** Registers the kernel for cpu, wasm and webgl. Idempotent; the backends need not be initialised. */
export function registerFusedAdam(): void {
  let registered = false;
  for (const [backendName, kernelFunc] of KERNELS) {
    if (tf.getKernel(FUSED_ADAM, backendName) != null) continue;
    tf.registerKernel({ kernelName: FUSED_ADAM, backendName, kernelFunc: kernelFunc as tf.KernelFunc });
    registered = true;
  }
  if (registered) warmUp();
}

/**
 * The fields of tfjs 4.22's AdamOptimizer (private there, see adam_optimizer.js) that this class shares and that
 * adamState.ts reads and assigns in place.
 */
export interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  iterations_: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

export const adamInternals = (opt: tf.AdamOptimizer): AdamInternals => opt as unknown as AdamInternals;

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/**
 * tf.AdamOptimizer whose per-variable update is the fused kernel when the current backend has it; otherwise (or for
 * non-float32 variables) it is tfjs's own. State, names and bookkeeping (moments, accβ1/accβ2, iterations) are the
 * parent's, so getWeights/setWeights and adamState.ts's capture/restore work unchanged.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  constructor(learningRate: number, beta1: number, beta2: number, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
    registerFusedAdam();
  }

  override applyGradients(variableGradients: VariableGradients): void {
    const list = Array.isArray(variableGradients);
    const names = list ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const gradientOf = (name: string, i: number): tf.Tensor | undefined => (list ? variableGradients[i].tensor : variableGradients[name]);
    const variables = tf.engine().registeredVariables;
    const fusable =
      tf.getKernel(FUSED_ADAM, tf.getBackend()) != null &&
      names.every((name, i) => variables[name].dtype === 'float32' && (gradientOf(name, i)?.dtype ?? 'float32') === 'float32');
    if (!fusable) {
      super.applyGradients(variableGradients);
      return;
    }
    const a = adamInternals(this);
    const attrs: FusedAdamAttrs = { beta1: a.beta1, beta2: a.beta2, epsilon: a.epsilon, learningRate: a.learningRate };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = variables[name];
        // Slots are created exactly as the parent does, so they are interchangeable with its state.
        a.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        a.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = gradientOf(name, i);
        if (gradient == null) return;
        const m = a.accumulatedFirstMoment[i].variable;
        const v = a.accumulatedSecondMoment[i].variable;
        const [m1, v1, w1] = tf.engine().runKernel<tf.Tensor[]>(FUSED_ADAM, { value, gradient, m, v, accBeta1: a.accBeta1, accBeta2: a.accBeta2 }, attrs);
        m.assign(m1);
        v.assign(v1);
        value.assign(w1);
      });
      a.accBeta1.assign(tf.mul(a.accBeta1, a.beta1));
      a.accBeta2.assign(tf.mul(a.accBeta2, a.beta2));
    });
    this.incrementIterations();
  }
}
