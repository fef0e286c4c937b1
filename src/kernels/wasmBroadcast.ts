/**
 * Tile, Sum and Mean fast paths for the tfjs (4.22) wasm backend, for the shapes batch norm's gradient makes.
 *
 * tfjs's BatchNorm gradient tiles γ·rsqrt(σ²+ε) from [1,1,1,C] to the full NHWC shape and sums the products back
 * over the batch and pixel axes; tfjs-layers' BatchNormalization takes tf.moments (Mean over the same axes). On wasm,
 * Tile is an element-by-element index loop (~90 ms for 128×14×14×128) and Sum/Mean over leading axes transpose the
 * whole tensor first (~25 ms). Here Tile is a few block copies (memmove) and a leading-axes reduction is a column
 * sum, one pass over the data, accumulated in float64 like the cpu backend. Other shapes keep tfjs's kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Typed = Float32Array | Int32Array | Uint8Array;

/**
 * dst (shape[i]·reps[i] on each axis) = src tiled, row-major: each input row is copied once into place, then every
 * block is replicated along its axis by doubling copies (copyWithin), innermost axis first.
 */
export function tileInto(src: Typed, shape: number[], reps: number[], dst: Typed): void {
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * reps[i]);
  const inStride = new Array<number>(rank);
  const outStride = new Array<number>(rank);
  inStride[rank - 1] = outStride[rank - 1] = 1;
  for (let a = rank - 2; a >= 0; a--) {
    inStride[a] = inStride[a + 1] * shape[a + 1];
    outStride[a] = outStride[a + 1] * outShape[a + 1];
  }
  /** Repeats dst[at, at + len) `times` times in total, starting at `at`. */
  const replicate = (at: number, len: number, times: number) => {
    let done = 1;
    while (done < times) {
      const n = Math.min(done, times - done);
      dst.copyWithin(at + done * len, at, at + n * len);
      done += n;
    }
  };
  const fill = (axis: number, s: number, d: number) => {
    if (axis === rank - 1) {
      for (let i = 0; i < shape[axis]; i++) dst[d + i] = src[s + i];
    } else {
      for (let i = 0; i < shape[axis]; i++) fill(axis + 1, s + i * inStride[axis], d + i * outStride[axis]);
    }
    replicate(d, shape[axis] * outStride[axis], reps[axis]);
  };
  if (rank === 0) dst[0] = src[0];
  else if (dst.length > 0) fill(0, 0, 0);
}

/** out[c] = Σ_r x[r·cols + c] (÷ divisor), accumulated in float64. */
export function columnSums(x: Float32Array, cols: number, out: Float32Array, divisor = 1): void {
  const acc = new Float64Array(cols);
  const rows = cols === 0 ? 0 : x.length / cols;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) acc[c] += x[base + c];
  }
  for (let c = 0; c < cols; c++) out[c] = acc[c] / divisor;
}

const asWasm = (args: KernelArgs) => args.backend as unknown as BackendWasm;

export function wrapTile(original: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const reps = (args.attrs as { reps: number[] }).reps;
    if (x.dtype === 'string' || reps.length !== x.shape.length) return original(args);
    const backend = asWasm(args);
    const out = backend.makeOutput(x.shape.map((d, i) => d * reps[i]), x.dtype);
    tileInto(backend.typedArrayFromHeap(x) as Typed, x.shape, reps, backend.typedArrayFromHeap(out) as Typed);
    return out;
  };
}

/** The number of leading axes reduced when `axis` names exactly 0..k−1 (k < rank), else 0. */
function leadingAxes(axis: number | number[], rank: number): number {
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  return axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i) ? axes.length : 0;
}

function wrapReduce(original: tf.KernelFunc, mean: boolean): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const k = x.dtype === 'float32' ? leadingAxes(axis, x.shape.length) : 0;
    if (k === 0) return original(args);
    const backend = asWasm(args);
    const rows = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
    const rest = x.shape.slice(k);
    const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest, 'float32');
    const cols = rest.reduce((a, b) => a * b, 1);
    columnSums(backend.typedArrayFromHeap(x) as Float32Array, cols, backend.typedArrayFromHeap(out) as Float32Array, mean ? rows : 1);
    return out;
  };
}

export const wrapSum = (original: tf.KernelFunc) => wrapReduce(original, false);
export const wrapMean = (original: tf.KernelFunc) => wrapReduce(original, true);
