/**
 * 2-D convolution and both its gradients for the tfjs (4.22) wasm backend, NHWC float32, as products on the SIMD
 * kernels of wasmGemm.ts:
 *
 *   Conv2D / FusedConv2D   y = im2col(x) · Wᵀ            (dot; W transposed once per call, it is small)
 *   Conv2DBackpropInput    dx = col2im(dy · Wᵀ)           (dot; W [kh·kw·in, out] as it is, dy as it is)
 *   Conv2DBackpropFilter   dW = im2col(x)ᵀ · dy           (atb; summed over output pixels, dy as it is)
 *
 * tfjs 4.22's wasm backend has no Conv2DBackpropFilter at all (tfjs#8474), so no convolution trains there; its
 * Conv2DBackpropInput (which is also Conv2DTranspose's forward pass) is a scalar loop. The im2col and col2im
 * buffers are filled a chunk of output pixels at a time, sized to stay in L2 beside the weights, so memory stays
 * small at batch 128. Any stride, padding (same, valid, explicit), dilation and kernel size; NCHW is refused.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, wasmBackendMemory } from './wasmAsm';
import { atbKernel, atbLoop, dotKernel, dotLoop, simdAvailable, type AtbFunction, type DotFunction, type GemmShape } from './wasmGemm';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type ConvInfo = tf.backend_util.Conv2DInfo;

const roundUp = (x: number, m: number) => Math.ceil(x / m) * m;
/** Floats per chunk buffer: 256 KiB, half this machine's L2, leaving room for the weights. */
const CHUNK_FLOATS = 65536;
/** Floats of B per panel of the dot kernel (128 KiB). */
const PANEL_FLOATS = 32768;

/** Scratch buffers on the wasm heap for one kernel call, freed together. */
class Scratch {
  private readonly ids: object[] = [];
  constructor(private readonly backend: BackendWasm) {}
  /** Byte offset of a new buffer of `floats` float32s (contents undefined). */
  alloc(floats: number): number {
    const t = this.backend.makeOutput([Math.max(1, floats)], 'float32');
    this.ids.push(t.dataId);
    return heapOffset(this.backend, t);
  }
  free(): void {
    for (const id of this.ids) this.backend.disposeData(id);
    this.ids.length = 0;
  }
}

/** A float32 view of the whole heap; take it after the last allocation of a call (growing the heap detaches it). */
const heapView = (backend: BackendWasm) => new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);

interface Products {
  dot(s: GemmShape): DotFunction;
  atb(s: GemmShape): AtbFunction;
}

/** SIMD kernels where this backend exports its heap and the engine has SIMD; JS loops over `heap` otherwise. */
function products(backend: BackendWasm, heap: Float32Array): Products {
  const memory = wasmBackendMemory(backend);
  if (memory && simdAvailable()) return { dot: (s) => dotKernel(memory, s), atb: (s) => atbKernel(memory, s) };
  return { dot: (s) => dotLoop(heap, s), atb: (s) => atbLoop(heap, s) };
}

/**
 * Copies the im2col rows [m0, m0 + rows) of x into dst (float offsets): row m = output pixel (b, oh, ow), column
 * (kh·kw_size + kw)·C + c, zero where the window leaves the image, zero from K to ld.
 */
function im2col(heap: Float32Array, x: number, info: ConvInfo, m0: number, rows: number, dst: number, ld: number): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, filterHeight: KH, filterWidth: KW } = info;
  const { top, left } = info.padInfo;
  const K = KH * KW * C;
  const run = KW * C;
  let b = Math.floor(m0 / (OH * OW));
  let oh = Math.floor((m0 % (OH * OW)) / OW);
  let ow = m0 % OW;
  for (let r = 0; r < rows; r++) {
    const row = dst + r * ld;
    const iw0 = ow * sw - left;
    const whole = dw === 1 && iw0 >= 0 && iw0 + KW <= W;
    for (let kh = 0; kh < KH; kh++) {
      const ih = oh * sh - top + kh * dh;
      const seg = row + kh * run;
      if (ih < 0 || ih >= H) {
        heap.fill(0, seg, seg + run);
        continue;
      }
      const line = x + (b * H + ih) * W * C;
      if (whole) {
        const src = line + iw0 * C;
        if (run <= 16) for (let t = 0; t < run; t++) heap[seg + t] = heap[src + t];
        else heap.copyWithin(seg, src, src + run);
        continue;
      }
      for (let kw = 0; kw < KW; kw++) {
        const iw = iw0 + kw * dw;
        const d = seg + kw * C;
        if (iw < 0 || iw >= W) heap.fill(0, d, d + C);
        else if (C <= 16) for (let c = 0; c < C; c++) heap[d + c] = heap[line + iw * C + c];
        else heap.copyWithin(d, line + iw * C, line + (iw + 1) * C);
      }
    }
    if (ld > K) heap.fill(0, row + K, row + ld);
    if (++ow === OW) {
      ow = 0;
      if (++oh === OH) {
        oh = 0;
        b++;
      }
    }
  }
}

/** The inverse of im2col: adds the rows [m0, m0 + rows) of cols (row stride ld) into dx at their window positions. */
function col2im(heap: Float32Array, cols: number, ld: number, info: ConvInfo, m0: number, rows: number, dx: number): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, filterHeight: KH, filterWidth: KW } = info;
  const { top, left } = info.padInfo;
  const run = KW * C;
  let b = Math.floor(m0 / (OH * OW));
  let oh = Math.floor((m0 % (OH * OW)) / OW);
  let ow = m0 % OW;
  for (let r = 0; r < rows; r++) {
    const row = cols + r * ld;
    const iw0 = ow * sw - left;
    const whole = dw === 1 && iw0 >= 0 && iw0 + KW <= W;
    for (let kh = 0; kh < KH; kh++) {
      const ih = oh * sh - top + kh * dh;
      if (ih < 0 || ih >= H) continue;
      const seg = row + kh * run;
      const line = dx + (b * H + ih) * W * C;
      if (whole) {
        const d = line + iw0 * C;
        for (let t = 0; t < run; t++) heap[d + t] += heap[seg + t];
        continue;
      }
      for (let kw = 0; kw < KW; kw++) {
        const iw = iw0 + kw * dw;
        if (iw < 0 || iw >= W) continue;
        const d = line + iw * C;
        const s = seg + kw * C;
        for (let c = 0; c < C; c++) heap[d + c] += heap[s + c];
      }
    }
    if (++ow === OW) {
      ow = 0;
      if (++oh === OH) {
        oh = 0;
        b++;
      }
    }
  }
}

/** Copies a rows×cols block between row strides (float offsets), zero-filling dst's columns cols..dstLd. */
function copyRows(heap: Float32Array, src: number, srcLd: number, dst: number, dstLd: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    heap.copyWithin(dst + r * dstLd, src + r * srcLd, src + r * srcLd + cols);
    if (dstLd > cols) heap.fill(0, dst + r * dstLd + cols, dst + (r + 1) * dstLd);
  }
}

/**
 * C[rows, n] = A[rows, k] · B[n, k]ᵀ (byte offsets, element strides; k already a multiple of 4 and zero-padded in
 * both, n even), B in panels that stay in cache. rows must be a multiple of 4 (the callers pad their buffers).
 */
function dotPanels(kernels: Products, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, rows: number, k: number, n: number): void {
  const panel = Math.max(2, Math.min(n, Math.floor(PANEL_FLOATS / ldb / 2) * 2));
  for (let j0 = 0; j0 < n; j0 += panel) {
    const width = Math.min(panel, n - j0);
    kernels.dot({ k, n: width, lda, ldb, ldc })(a, b + j0 * ldb * 4, c + j0 * 4, rows / 4);
  }
}

function convInfo(xShape: number[], filterShape: number[], attrs: KernelArgs['attrs']): ConvInfo {
  const a = attrs as { strides: number | [number, number]; pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding; dilations?: number | [number, number]; dataFormat?: string; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
  if (a.dataFormat != null && a.dataFormat !== 'NHWC' && a.dataFormat !== 'channelsLast') throw new Error(`Ganvas's wasm convolution supports NHWC only, not ${a.dataFormat}`);
  return tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number], a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
}

const rowsPerChunk = (floatsPerRow: number) => Math.max(4, Math.floor(CHUNK_FLOATS / floatsPerRow / 4) * 4);

/** y[M, OC] = im2col(x) · Wᵀ into the tensor `out` (byte offsets x, w). */
function convForward(backend: BackendWasm, info: ConvInfo, x: number, w: number, out: number): void {
  const { batchSize, outHeight, outWidth, filterHeight, filterWidth, inChannels, outChannels: N } = info;
  const M = batchSize * outHeight * outWidth;
  const K = filterHeight * filterWidth * inChannels;
  const K4 = roundUp(K, 4);
  const N2 = roundUp(N, 2);
  const chunk = Math.min(rowsPerChunk(K4), roundUp(M, 4));
  const scratch = new Scratch(backend);
  try {
    const wt = scratch.alloc(N2 * K4);
    const patches = scratch.alloc(chunk * K4);
    const cTemp = scratch.alloc(chunk * N2);
    const heap = heapView(backend);
    const kernels = products(backend, heap);
    // Wᵀ [N2, K4], zero-padded.
    const [wf, wtf] = [w >> 2, wt >> 2];
    heap.fill(0, wtf, wtf + N2 * K4);
    for (let t = 0; t < K; t++) for (let j = 0; j < N; j++) heap[wtf + j * K4 + t] = heap[wf + t * N + j];
    for (let m0 = 0; m0 < M; m0 += chunk) {
      const rows = Math.min(chunk, M - m0);
      const rows4 = roundUp(rows, 4);
      im2col(heap, x >> 2, info, m0, rows, patches >> 2, K4);
      if (rows4 > rows) heap.fill(0, (patches >> 2) + rows * K4, (patches >> 2) + rows4 * K4);
      const direct = rows4 === rows && N2 === N;
      const c = direct ? out + m0 * N * 4 : cTemp;
      dotPanels(kernels, patches, K4, wt, K4, c, direct ? N : N2, rows4, K4, N2);
      if (!direct) copyRows(heap, cTemp >> 2, N2, (out >> 2) + m0 * N, N, rows, N);
    }
  } finally {
    scratch.free();
  }
}

/** dx = col2im(dy · Wᵀ) into the tensor `dx` (byte offsets); info describes the forward convolution x → dy. */
function convBackpropInput(backend: BackendWasm, info: ConvInfo, dy: number, w: number, dx: number): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, outChannels: K } = info;
  const M = batchSize * outHeight * outWidth;
  const N = filterHeight * filterWidth * inChannels;
  const K4 = roundUp(K, 4);
  const N2 = roundUp(N, 2);
  const chunk = Math.min(rowsPerChunk(N2 + K4), roundUp(M, 4));
  const packW = K4 !== K || N2 !== N;
  const scratch = new Scratch(backend);
  try {
    const wp = packW ? scratch.alloc(N2 * K4) : w;
    const aBuf = scratch.alloc(chunk * K4);
    const cols = scratch.alloc(chunk * N2);
    const heap = heapView(backend);
    const kernels = products(backend, heap);
    if (packW) {
      copyRows(heap, w >> 2, K, wp >> 2, K4, N, K);
      heap.fill(0, (wp >> 2) + N * K4, (wp >> 2) + N2 * K4);
    }
    heap.fill(0, dx >> 2, (dx >> 2) + batchSize * inHeight * inWidth * inChannels);
    for (let m0 = 0; m0 < M; m0 += chunk) {
      const rows = Math.min(chunk, M - m0);
      const rows4 = roundUp(rows, 4);
      let a = dy + m0 * K * 4;
      if (K4 !== K || rows4 !== rows) {
        copyRows(heap, (dy >> 2) + m0 * K, K, aBuf >> 2, K4, rows, K);
        heap.fill(0, (aBuf >> 2) + rows * K4, (aBuf >> 2) + rows4 * K4);
        a = aBuf;
      }
      dotPanels(kernels, a, K4, wp, K4, cols, N2, rows4, K4, N2);
      col2im(heap, cols >> 2, N2, info, m0, rows, dx >> 2);
    }
  } finally {
    scratch.free();
  }
}

/** dW[kh, kw, in, out] = Σ over output pixels of im2col(x)ᵀ · dy into the tensor `dw` (byte offsets). */
function convBackpropFilter(backend: BackendWasm, info: ConvInfo, x: number, dy: number, dw: number): void {
  const { batchSize, outHeight, outWidth, filterHeight, filterWidth, inChannels, outChannels: N } = info;
  const M = batchSize * outHeight * outWidth;
  const K = filterHeight * filterWidth * inChannels;
  const K4 = roundUp(K, 4);
  const N8 = roundUp(N, 8);
  const chunk = Math.min(rowsPerChunk(K4 + N8), roundUp(M, 4));
  const direct = K4 === K && N8 === N;
  const scratch = new Scratch(backend);
  try {
    const acc = direct ? dw : scratch.alloc(K4 * N8);
    const patches = scratch.alloc(chunk * K4);
    const dyPad = N8 !== N ? scratch.alloc(chunk * N8) : 0;
    const heap = heapView(backend);
    const atb = products(backend, heap).atb({ k: K4, n: N8, lda: K4, ldb: N8, ldc: N8 });
    heap.fill(0, acc >> 2, (acc >> 2) + K4 * N8);
    for (let m0 = 0; m0 < M; m0 += chunk) {
      const rows = Math.min(chunk, M - m0);
      im2col(heap, x >> 2, info, m0, rows, patches >> 2, K4);
      let b = dy + m0 * N * 4;
      if (dyPad) {
        copyRows(heap, (dy >> 2) + m0 * N, N, dyPad >> 2, N8, rows, N);
        b = dyPad;
      }
      atb(patches, b, acc, rows);
    }
    if (!direct) copyRows(heap, acc >> 2, N8, dw >> 2, N, K, N);
  } finally {
    scratch.free();
  }
}

const wasmOf = (args: KernelArgs) => args.backend as unknown as BackendWasm;
const float32 = (...ts: tf.TensorInfo[]) => ts.every((t) => t.dtype === 'float32');

function conv2DKernel(args: KernelArgs): tf.TensorInfo {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  if (!float32(x, filter)) throw new Error('Conv2D on wasm: float32 only');
  const backend = wasmOf(args);
  const info = convInfo(x.shape, filter.shape, args.attrs);
  const out = backend.makeOutput(info.outShape, 'float32');
  convForward(backend, info, heapOffset(backend, x), heapOffset(backend, filter), heapOffset(backend, out));
  return out;
}

function conv2DBackpropInputKernel(args: KernelArgs): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  if (!float32(dy, filter)) throw new Error('Conv2DBackpropInput on wasm: float32 only');
  const backend = wasmOf(args);
  const inputShape = (args.attrs as { inputShape: number[] }).inputShape;
  const info = convInfo(inputShape, filter.shape, args.attrs);
  const dx = backend.makeOutput(inputShape, 'float32');
  convBackpropInput(backend, info, heapOffset(backend, dy), heapOffset(backend, filter), heapOffset(backend, dx));
  return dx;
}

function conv2DBackpropFilterKernel(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  if (!float32(x, dy)) throw new Error('Conv2DBackpropFilter on wasm: float32 only');
  const backend = wasmOf(args);
  const filterShape = (args.attrs as { filterShape: number[] }).filterShape;
  const info = convInfo(x.shape, filterShape, args.attrs);
  const dw = backend.makeOutput(filterShape, 'float32');
  convBackpropFilter(backend, info, heapOffset(backend, x), heapOffset(backend, dy), heapOffset(backend, dw));
  return dw;
}

/**
 * Minimum kh·kw·in for Ganvas's Conv2D to replace XNNPACK's. Measured at batch 128 (CPU ms, bench/convKernels.ts):
 * 1152 (3×3×128 → 256, the G gradient through Conv2DTranspose 7×7×256→14×14×128) 137 vs 186; 576 (3×3×64 → 128)
 * 162 vs 162; the discriminator's 9, 18, 288 and 576 lose (11 vs 2, 10 vs 8, 17 vs 11, 11 vs 13).
 */
export const OWN_CONV2D_MIN_DEPTH = 1024;

/** Conv2D: Ganvas's kernel for deep windows (where it measured faster), XNNPACK's otherwise. */
export function wrapConv2D(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const format = (args.attrs as { dataFormat?: string }).dataFormat ?? 'NHWC';
    const depth = filter.shape[0] * filter.shape[1] * filter.shape[2];
    return float32(x, filter) && format === 'NHWC' && depth >= OWN_CONV2D_MIN_DEPTH ? conv2DKernel(args) : original(args);
  };
}

export const WASM_CONV_KERNELS = {
  conv2d: conv2DKernel,
  conv2dBackpropInput: conv2DBackpropInputKernel,
  conv2dBackpropFilter: conv2DBackpropFilterKernel,
} as const;
