/**
 * Kernel-level performance fixes for the tfjs (4.22) wasm backend.
 *
 * 1. BatchMatMul: float32 2-D products whose shape tiles go to Ganvas's A·Bᵀ SIMD kernel (wasmGemm.ts), with the
 *    operands transposed first where needed (tfjs's Transpose kernel, ~0.1 ms for 100k floats). The stock kernel
 *    takes XNNPACK's fast path only for untransposed operands, packing B on every call (B is new at every training
 *    step), and falls back to a naive triple loop for every transposed call, ~10-20x slower at 128×784×128 — and
 *    tfjs's matMul gradients (so every Dense backward pass) always ask for a transposed operand.
 * 2. Other shapes, batched products and _FusedMatMul: the operand is transposed with the wasm Transpose kernel and
 *    the original kernel runs with plain operands.
 * 3. Tanh: the wasm kernel is a scalar `std::tanh` loop (~3 ms for 128×784). We replace it with a JS loop over the
 *    wasm heap evaluating Eigen's 13/6 rational approximation (|error| < 1e-6; measured in tests), ~5x faster.
 *
 * 4. Convolution (wasmConv.ts): Conv2DBackpropInput (also Conv2DTranspose's forward pass; tfjs's is a scalar loop,
 *    10-30× slower at the DCGAN's shapes) and deep-window Conv2D on SIMD products; Conv2DBackpropFilter and
 *    UnsortedSegmentSum (the Embedding gradient), which tfjs 4.22's wasm backend lacks, are added.
 * 5. Tile, Sum and Mean over leading axes (wasmBroadcast.ts): batch norm's gradient and moments.
 *
 * Fixing this at the kernel level means every caller (tfjs-layers Dense gradients, fused matMul, our own trainer)
 * benefits without code changes.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, wasmBackendMemory } from './wasmAsm';
import { elementwisePass, type ElementwiseSimd } from './wasmElementwise';
import { gemmKernel } from './wasmGemm';
import { WASM_CONV_KERNELS, wrapConv2D } from './wasmConv';
import { unsortedSegmentSumWasm } from './wasmSegmentSum';
import { wrapMean, wrapSum, wrapTile } from './wasmBroadcast';

const WASM = 'wasm';

/**
 * Marks configs we registered. A global symbol (not module state) so that
 * idempotency holds even if this module is instantiated twice (e.g. by a
 * bundler or test runner) while tfjs' kernel registry is a global singleton.
 */
const FIX_MARK = Symbol.for('ganvas.wasmKernelFix');

interface MarkedConfig extends tf.KernelConfig {
  /** original: the kernel we replaced, or null where tfjs's wasm backend has none (we added it). */
  [FIX_MARK]?: { original: tf.KernelConfig | null };
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

/** A 2-D float32 product through the A·Bᵀ kernel, or null where it does not apply (the caller falls back). */
function gemmMatMul(args: KernelArgs, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): tf.TensorInfo | null {
  if (a.shape.length !== 2 || b.shape.length !== 2) return null;
  const memory = wasmBackendMemory(args.backend);
  const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : a.shape;
  const n = transposeB ? b.shape[0] : b.shape[1];
  const gemm = memory && k === (transposeB ? b.shape[1] : b.shape[0]) ? gemmKernel(memory, m, k, n) : null;
  if (!gemm) return null;
  const backend = asWasm(args.backend);
  // The kernel wants A as [M,K] and B as [N,K], both row-major.
  const aRows = transposeA ? transposeInner(a, backend) : a;
  const bRows = transposeB ? b : transposeInner(b, backend);
  const out = backend.makeOutput([m, n], 'float32');
  gemm(heapOffset(backend, aRows), heapOffset(backend, bRows), heapOffset(backend, out));
  if (aRows !== a) backend.disposeData(aRows.dataId);
  if (bRows !== b) backend.disposeData(bRows.dataId);
  return out;
}

/**
 * Wraps a matmul kernel (BatchMatMul or _FusedMatMul, which share the inputs a/b and attrs transposeA/transposeB):
 * plain BatchMatMul products that tile go to the SIMD kernel; everything else runs the original untransposed.
 */
function wrapMatMul(original: tf.KernelFunc, useGemm: boolean): tf.KernelFunc {
  return (args: KernelArgs) => {
    const attrs = args.attrs ?? {};
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    const { a, b } = args.inputs;
    if (a == null || b == null || a.dtype !== 'float32' || b.dtype !== 'float32') {
      // Let the original kernel produce its own error or handle other dtypes.
      return original(args);
    }
    const fast = useGemm ? gemmMatMul(args, a, b, transposeA, transposeB) : null;
    if (fast) return fast;
    if (!transposeA && !transposeB) return original(args);
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

/** A unary float32 kernel: the SIMD loop over whole groups of four, `tail` (a JS loop) for the rest or without SIMD. */
function unaryKernel(
  original: tf.KernelFunc,
  simd: (kernels: ElementwiseSimd, src: number, dst: number, bytes: number, attrs: KernelArgs['attrs']) => void,
  tail: (src: Float32Array, dst: Float32Array, attrs: KernelArgs['attrs']) => void,
): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    if (x == null || x.dtype !== 'float32') return original(args);
    const backend = asWasm(args.backend);
    const out = backend.makeOutput(x.shape, 'float32');
    elementwisePass(
      backend,
      [x],
      out,
      (kernels, [src, dst], bytes) => simd(kernels, src, dst, bytes, args.attrs),
      ([src, dst]) => tail(src, dst, args.attrs),
    );
    return out;
  };
}

function wrapTanh(original: tf.KernelFunc): tf.KernelFunc {
  warmUpTanh();
  return unaryKernel(
    original,
    (kernels, src, dst, bytes) => kernels.tanh(src, dst, bytes),
    (src, dst) => tanhRational(src, dst),
  );
}

/** The wasm backend's LeakyRelu rule, x < 0 ? α·x : x, for tails and builds without SIMD. */
function leakyReluLoop(src: Float32Array, dst: Float32Array, alpha: number): void {
  const a = Math.fround(alpha);
  for (let i = 0; i < src.length; i++) dst[i] = src[i] < 0 ? a * src[i] : src[i];
}

function wrapLeakyRelu(original: tf.KernelFunc): tf.KernelFunc {
  return unaryKernel(
    original,
    (kernels, src, dst, bytes, attrs) => kernels.leakyRelu(src, dst, bytes, attrs?.alpha as number),
    (src, dst, attrs) => leakyReluLoop(src, dst, attrs?.alpha as number),
  );
}

/**
 * tfjs saves every tensor a gradient needs with tf.clone, which on wasm copies the buffer (~60 copies per training
 * step). Tensors are immutable, so, like the cpu and webgl backends, the clone can share the buffer: one more
 * reference to the same data.
 */
function wrapIdentity(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x;
    if (x == null || x.dtype === 'string') return original(args);
    asWasm(args.backend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

const FIXES: ReadonlyArray<[string, (original: tf.KernelFunc) => tf.KernelFunc]> = [
  [tf.BatchMatMul, (original) => wrapMatMul(original, true)],
  [tf._FusedMatMul, (original) => wrapMatMul(original, false)],
  [tf.Tanh, wrapTanh],
  [tf.LeakyRelu, wrapLeakyRelu],
  [tf.Identity, wrapIdentity],
  // A scalar loop in tfjs (and Conv2DTranspose's forward pass): replaced by im2col/col2im on SIMD products.
  [tf.Conv2DBackpropInput, () => WASM_CONV_KERNELS.conv2dBackpropInput],
  // XNNPACK's Conv2D stays for shallow windows; deep ones (the G gradient through Conv2DTranspose) come here.
  [tf.Conv2D, wrapConv2D],
  // Batch norm's gradient and moments: block copies and column sums instead of index loops and transposes.
  [tf.Tile, wrapTile],
  [tf.Sum, wrapSum],
  [tf.Mean, wrapMean],
];

/** Training kernels tfjs 4.22's wasm backend lacks (so convolutions and embeddings could not train there). */
const ADDED: ReadonlyArray<[string, tf.KernelFunc]> = [
  [tf.Conv2DBackpropFilter, WASM_CONV_KERNELS.conv2dBackpropFilter],
  [tf.UnsortedSegmentSum, unsortedSegmentSumWasm],
];

/**
 * Re-registers the wasm kernels in FIXES with the fixed versions and registers the missing ones in ADDED.
 * Idempotent. Requires '@tensorflow/tfjs-backend-wasm' to be imported (its kernels registered); the backend need
 * not be initialised yet, since the original setupFunc (which binds the C++ entry point) is kept.
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
  for (const [name, kernelFunc] of ADDED) {
    const current = tf.getKernel(name, WASM) as MarkedConfig | undefined;
    if (current?.[FIX_MARK] != null) continue;
    // A later tfjs that ships its own keeps it.
    if (current != null) continue;
    tf.registerKernel({ kernelName: name, backendName: WASM, kernelFunc, [FIX_MARK]: { original: null } } as MarkedConfig);
  }
}

/** Restores the original kernels (for benchmarks and tests). Idempotent. */
export function uninstallWasmKernelFixes(): void {
  for (const [name] of FIXES) {
    const current = tf.getKernel(name, WASM) as MarkedConfig | undefined;
    const mark = current?.[FIX_MARK];
    if (mark == null) continue;
    tf.unregisterKernel(name, WASM);
    tf.registerKernel(mark.original!);
  }
  for (const [name] of ADDED) {
    if ((tf.getKernel(name, WASM) as MarkedConfig | undefined)?.[FIX_MARK] != null) tf.unregisterKernel(name, WASM);
  }
}

export function wasmKernelFixesInstalled(): boolean {
  return [...FIXES, ...ADDED].every(([name]) => (tf.getKernel(name, WASM) as MarkedConfig | undefined)?.[FIX_MARK] != null);
}
