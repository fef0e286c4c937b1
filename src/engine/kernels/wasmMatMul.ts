/**
 * Kernel-level performance fixes for the tfjs (4.22) wasm backend.
 *
 * 1. BatchMatMul / _FusedMatMul: the wasm C++ kernel only takes the XNNPACK
 *    fully-connected fast path when `!transposeA && !transposeB` and both
 *    operands have batch size 1; every transposed call falls back to a naive
 *    blocked triple loop (`slow_batch_matmul`), ~10-20x slower at 128×784×128.
 *    tfjs' matMul gradients (and so every Dense backward pass) always ask for
 *    a transposed operand. We transpose the operand with the wasm Transpose
 *    kernel (≈0.2 ms for 100k floats) and call the original kernel with
 *    plain operands.
 * 2. Tanh: the wasm kernel is a scalar `std::tanh` loop (~3 ms for 128×784).
 *    We replace it with a JS loop over the wasm heap evaluating Eigen's
 *    13/6 rational approximation (|error| < 1e-6; measured in tests),
 *    ~5x faster.
 *
 * Fixing this at the kernel level means every caller (tfjs-layers Dense
 * gradients, fused matMul, our own trainer) benefits without code changes.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const WASM = 'wasm';

/**
 * Marks configs we registered. A global symbol (not module state) so that
 * idempotency holds even if this module is instantiated twice (e.g. by a
 * bundler or test runner) while tfjs' kernel registry is a global singleton.
 */
const FIX_MARK = Symbol.for('ganvas.wasmKernelFix');

interface MarkedConfig extends tf.KernelConfig {
  [FIX_MARK]?: { original: tf.KernelConfig };
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

function getWasmKernel(name: string): MarkedConfig {
  const config = tf.getKernel(name, WASM) as MarkedConfig | undefined;
  if (config == null) {
    throw new Error(
      `wasm kernel '${name}' is not registered: import '@tensorflow/tfjs-backend-wasm' ` +
        'before calling installWasmKernelFixes()',
    );
  }
  return config;
}

function asWasm(backend: unknown): BackendWasm {
  return backend as BackendWasm;
}

/** Swaps the last two axes using the wasm Transpose kernel (a new heap buffer). */
function transposeInner(x: tf.TensorInfo, backend: object): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  // Looked up per call: cheap (a Map get) and always the currently registered kernel.
  const transpose = getWasmKernel(tf.Transpose).kernelFunc;
  return transpose({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}

/**
 * Wraps a matmul kernel (BatchMatMul or _FusedMatMul, which share the
 * inputs a/b and attrs transposeA/transposeB) so the original always runs
 * untransposed.
 */
function wrapMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const attrs = args.attrs ?? {};
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    const { a, b } = args.inputs;
    if ((!transposeA && !transposeB) || a == null || b == null || a.dtype !== 'float32' ||
        b.dtype !== 'float32') {
      // Nothing to fix, or let the original kernel produce its own error.
      return original(args);
    }
    const backend = asWasm(args.backend);
    const aPlain = transposeA ? transposeInner(a, backend) : a;
    const bPlain = transposeB ? transposeInner(b, backend) : b;
    try {
      return original({
        ...args,
        inputs: { ...args.inputs, a: aPlain, b: bPlain },
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      // The temporaries never reach the engine, so free their heap buffers
      // here (as the wasm kernels do for their own reshapes). disposeData
      // also drops any XNNPACK operator cached for that tensor id.
      if (aPlain !== a) backend.disposeData(aPlain.dataId);
      if (bPlain !== b) backend.disposeData(bPlain.dataId);
    }
  };
}

// Eigen's float tanh rational approximation (generic_fast_tanh_float):
// tanh(x) ≈ x·P(x²)/Q(x²) on [-c, c], where tanh(±c) rounds to ±1 in float32.
const TANH_CLAMP = 7.90531110763549805;
const A1 = 4.89352455891786e-3;
const A3 = 6.37261928875436e-4;
const A5 = 1.48572235717979e-5;
const A7 = 5.12229709037114e-8;
const A9 = -8.60467152213735e-11;
const A11 = 2.00018790482477e-13;
const A13 = -2.76076847742355e-16;
const B0 = 4.89352518554385e-3;
const B2 = 2.268434632439e-3;
const B4 = 1.18534705686654e-4;
const B6 = 1.19825839466702e-6;

/** tanh over a float32 buffer; exported for tests. NaN stays NaN, ±Inf → ±1. */
export function tanhRational(src: Float32Array, dst: Float32Array): void {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    // Math.min/max propagate NaN, and keep the loop branch-free.
    const x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, src[i]));
    const x2 = x * x;
    let p = x2 * A13 + A11;
    p = x2 * p + A9;
    p = x2 * p + A7;
    p = x2 * p + A5;
    p = x2 * p + A3;
    p = x2 * p + A1;
    let q = x2 * B6 + B4;
    q = x2 * q + B2;
    q = x2 * q + B0;
    dst[i] = (x * p) / q;
  }
}

/**
 * V8 allocates a function's feedback vector only after a few calls. If the
 * first calls are already 100k-element loops, TurboFan compiles the function
 * with missing feedback, deopts, and the loop then often stays in slower
 * OSR/baseline code (measured 1.3-2.4 ms instead of 0.4 ms for 128×784).
 * A few tiny calls first give it complete feedback.
 */
function warmUpTanh(): void {
  const src = new Float32Array([-9, -1, -0.5, 0, 0.5, 1, 9, Number.NaN]);
  const dst = new Float32Array(src.length);
  for (let i = 0; i < 32; i++) tanhRational(src, dst);
}

function wrapTanh(original: tf.KernelFunc): tf.KernelFunc {
  warmUpTanh();
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    if (x == null || x.dtype !== 'float32') return original(args);
    const backend = asWasm(args.backend);
    const out = backend.makeOutput(x.shape, 'float32');
    // Views taken after makeOutput: a malloc may grow (and detach) the heap.
    const src = backend.typedArrayFromHeap(x) as Float32Array;
    const dst = backend.typedArrayFromHeap(out) as Float32Array;
    tanhRational(src, dst);
    return out;
  };
}

const FIXES: ReadonlyArray<[string, (original: tf.KernelFunc) => tf.KernelFunc]> = [
  [tf.BatchMatMul, wrapMatMul],
  [tf._FusedMatMul, wrapMatMul],
  [tf.Tanh, wrapTanh],
];

/**
 * Re-registers the wasm BatchMatMul, _FusedMatMul and Tanh kernels with the
 * fixed versions. Idempotent. Requires '@tensorflow/tfjs-backend-wasm' to be
 * imported (its kernels registered); the backend need not be initialised yet,
 * since the original setupFunc (which binds the C++ entry point) is kept.
 */
export function installWasmKernelFixes(): void {
  for (const [name, wrap] of FIXES) {
    const current = getWasmKernel(name);
    if (current[FIX_MARK] != null) continue;
    const fixed: MarkedConfig = {
      ...current,
      kernelFunc: wrap(current.kernelFunc),
      [FIX_MARK]: { original: current },
    };
    tf.unregisterKernel(name, WASM);
    tf.registerKernel(fixed);
  }
}

/** Restores the original kernels (for benchmarks and tests). Idempotent. */
export function uninstallWasmKernelFixes(): void {
  for (const [name] of FIXES) {
    const current = tf.getKernel(name, WASM) as MarkedConfig | undefined;
    const mark = current?.[FIX_MARK];
    if (mark == null) continue;
    tf.unregisterKernel(name, WASM);
    tf.registerKernel(mark.original);
  }
}

export function wasmKernelFixesInstalled(): boolean {
  return FIXES.every(([name]) => (tf.getKernel(name, WASM) as MarkedConfig | undefined)?.[FIX_MARK] != null);
}
