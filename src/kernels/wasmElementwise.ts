/**
 * Elementwise float32 kernels as WebAssembly SIMD loops on the tfjs wasm backend's heap (four lanes at a time; the
 * caller finishes any tail of fewer than four elements in JS):
 *
 *   tanh(src, dst, bytes)              Eigen's 13/6 rational approximation (tanhRational in wasmMatMul.ts), float32
 *   leakyRelu(src, dst, bytes, α)      x < 0 ? α·x : x          (the wasm backend's own rule)
 *   leakyReluGrad(dy, x, dst, bytes, α)  x > 0 ? dy : dy·α       (tfjs's LeakyRelu gradient)
 *
 * tfjs's wasm Tanh and LeakyRelu are scalar C++ loops, and LeakyRelu's gradient is three kernels (Greater, Multiply,
 * Select); each of these is one pass here.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { F32, heapOffset, I32, ins, V128, wasmBackendMemory, wasmModule, type WasmFunction } from './wasmAsm';

const { get, set, tee, i32add, i32ne, brIf, loop, end, block, i32eqz, v128load, v128store, f32x4splat, f32x4add, f32x4mul, f32x4div } = ins;
const { f32const, f32x4min, f32x4max, f32x4lt, f32x4gt, v128bitselect: bitselect } = ins;

// Eigen's generic_fast_tanh_float coefficients (the same as tanhRational's).
const TANH = { clamp: 7.90531110763549805, a: [4.89352455891786e-3, 6.37261928875436e-4, 1.48572235717979e-5, 5.12229709037114e-8, -8.60467152213735e-11, 2.00018790482477e-13, -2.76076847742355e-16], b: [4.89352518554385e-3, 2.268434632439e-3, 1.18534705686654e-4, 1.19825839466702e-6] };

/**
 * A loop over `bytes` bytes (a multiple of 16, may be 0) with the byte index in local `i`; `each` is the body.
 * Locals: params first, then i and end.
 */
function byteLoop(bytesParam: number, i: number, each: number[]): number[] {
  return [
    ...block, ...get(bytesParam), ...i32eqz, ...brIf(0),
    ...loop, ...each, ...get(i), ...ins.i32(16), ...i32add, ...tee(i), ...get(bytesParam), ...i32ne, ...brIf(0), ...end,
    ...end,
  ];
}
const at = (ptr: number, i: number) => [...get(ptr), ...get(i), ...i32add];

function tanhFunction(): WasmFunction {
  // Params 0 src, 1 dst, 2 bytes; locals 3 i; v128 4 x, 5 x², 6 p, 7 q, 8 +c, 9 −c, 10.. coefficients.
  const [x, x2, p, q, hi, lo] = [4, 5, 6, 7, 8, 9];
  const coefficient = (k: number) => 10 + k;
  const coefficients = [...TANH.a, ...TANH.b];
  const splats = [
    ...f32const(TANH.clamp), ...f32x4splat, ...set(hi), ...f32const(-TANH.clamp), ...f32x4splat, ...set(lo),
    ...coefficients.flatMap((c, k) => [...f32const(c), ...f32x4splat, ...set(coefficient(k))]),
  ];
  // Horner in x²: p = ((a13·x² + a11)·x² + …)·x² + a1, q likewise; then x·p/q. Same order as tanhRational.
  const horner = (target: number, first: number, last: number) => {
    const out = [...get(x2), ...get(coefficient(last)), ...f32x4mul, ...get(coefficient(last - 1)), ...f32x4add];
    for (let k = last - 2; k >= first; k--) out.push(...get(x2), ...f32x4mul, ...get(coefficient(k)), ...f32x4add);
    return [...out, ...set(target)];
  };
  const each = [
    ...at(0, 3), ...v128load(0), ...get(hi), ...f32x4min, ...get(lo), ...f32x4max, ...tee(x), ...get(x), ...f32x4mul, ...set(x2),
    ...horner(p, 0, TANH.a.length - 1),
    ...horner(q, TANH.a.length, coefficients.length - 1),
    ...at(1, 3), ...get(x), ...get(p), ...f32x4mul, ...get(q), ...f32x4div, ...v128store(0),
  ];
  return { name: 'tanh', params: [I32, I32, I32], locals: [[1, I32], [6 + coefficients.length, V128]], body: [...splats, ...byteLoop(2, 3, each)] };
}

function leakyReluFunction(): WasmFunction {
  // Params 0 src, 1 dst, 2 bytes, 3 α; locals 4 i; v128 5 α, 6 x.
  const each = [
    ...at(1, 4),
    ...at(0, 4), ...v128load(0), ...tee(6), ...get(5), ...f32x4mul, ...get(6),
    ...get(6), ...ins.v128zero, ...f32x4lt, ...bitselect, ...v128store(0),
  ];
  return { name: 'leakyRelu', params: [I32, I32, I32, F32], locals: [[1, I32], [2, V128]], body: [...get(3), ...f32x4splat, ...set(5), ...byteLoop(2, 4, each)] };
}

function leakyReluGradFunction(): WasmFunction {
  // Params 0 dy, 1 x, 2 dst, 3 bytes, 4 α; locals 5 i; v128 6 α, 7 dy.
  const each = [
    ...at(2, 5),
    ...at(0, 5), ...v128load(0), ...tee(7), ...get(7), ...get(6), ...f32x4mul,
    ...at(1, 5), ...v128load(0), ...ins.v128zero, ...f32x4gt, ...bitselect, ...v128store(0),
  ];
  return { name: 'leakyReluGrad', params: [I32, I32, I32, I32, F32], locals: [[1, I32], [2, V128]], body: [...get(4), ...f32x4splat, ...set(6), ...byteLoop(3, 5, each)] };
}

export interface ElementwiseSimd {
  tanh(src: number, dst: number, bytes: number): void;
  leakyRelu(src: number, dst: number, bytes: number, alpha: number): void;
  leakyReluGrad(dy: number, x: number, dst: number, bytes: number, alpha: number): void;
}

const BYTES = wasmModule([tanhFunction(), leakyReluFunction(), leakyReluGradFunction()]);
const byMemory = new WeakMap<WebAssembly.Memory, ElementwiseSimd | null>();

/** The kernels bound to this wasm backend's heap, or null where its memory is not exported or SIMD is missing. */
export function elementwiseSimd(backend: object): ElementwiseSimd | null {
  const memory = wasmBackendMemory(backend);
  if (!memory) return null;
  if (!byMemory.has(memory)) {
    const ok = WebAssembly.validate(BYTES);
    byMemory.set(memory, ok ? (new WebAssembly.Instance(new WebAssembly.Module(BYTES), { env: { memory } }).exports as unknown as ElementwiseSimd) : null);
  }
  return byMemory.get(memory)!;
}

/**
 * One elementwise pass of a wasm kernel into `out`: `simd` over the whole groups of four (given the heap offsets of
 * `inputs` then `out`, and the byte count) where this backend has the SIMD module, then `tail` over what is left (or
 * everything without SIMD), given views of `inputs` then `out` from that element on.
 */
export function elementwisePass(
  backend: BackendWasm,
  inputs: TensorInfo[],
  out: TensorInfo,
  simd: (kernels: ElementwiseSimd, pointers: number[], bytes: number) => void,
  tail: (views: Float32Array[]) => void,
): void {
  const tensors = [...inputs, out];
  const n = out.shape.reduce((a, b) => a * b, 1);
  const kernels = elementwiseSimd(backend);
  const done = kernels ? n & ~3 : 0;
  if (kernels && done > 0) simd(kernels, tensors.map((t) => heapOffset(backend, t)), done * 4);
  // Views only now, after the caller's malloc of `out`: growing the heap detaches earlier views.
  if (done < n) tail(tensors.map((t) => (backend.typedArrayFromHeap(t) as Float32Array).subarray(done)));
}
