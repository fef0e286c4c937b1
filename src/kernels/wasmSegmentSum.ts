/**
 * UnsortedSegmentSum for the tfjs (4.22) wasm backend, which lacks it: the gradient of tf.gather (so of every
 * Embedding) is an UnsortedSegmentSum of dy over the gathered ids.
 *
 * out[s, …] = Σ over i with ids[i] = s of x[i, …], where ids has the shape of x's leading axes; ids outside
 * [0, numSegments) add nothing (as in TensorFlow and tfjs's cpu kernel). One pass over x, accumulating rows into
 * the output in float32 in the order of i.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type KernelArgs = Parameters<tf.KernelFunc>[0];

export function segmentSumRows(x: Float32Array | Int32Array, ids: Int32Array | Float32Array, out: Float32Array | Int32Array, numSegments: number): void {
  const inner = ids.length === 0 ? 0 : x.length / ids.length;
  out.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (!(s >= 0 && s < numSegments)) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) out[dst + j] += x[src + j];
  }
}

export function unsortedSegmentSumWasm(args: KernelArgs): tf.TensorInfo {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`UnsortedSegmentSum on wasm: float32 or int32 only, got ${x.dtype}`);
  const backend = args.backend as unknown as BackendWasm;
  const rank = segmentIds.shape.length;
  if (segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape ${segmentIds.shape} must be a prefix of x's shape ${x.shape}`);
  }
  const out = backend.makeOutput([numSegments, ...x.shape.slice(rank)], x.dtype);
  // Views after makeOutput's malloc, which may grow (and detach) the heap.
  const xs = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array | Float32Array;
  segmentSumRows(xs, ids, backend.typedArrayFromHeap(out) as Float32Array | Int32Array, numSegments);
  return out;
}
