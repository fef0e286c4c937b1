/**
 * C = A·Bᵀ in float32 on the tfjs wasm backend's heap: a WebAssembly SIMD kernel specialised to its shape.
 *
 * tfjs's wasm BatchMatMul hands plain products to XNNPACK, which first packs B into its own layout and caches that
 * per tensor. In training B is new at every call (weights after each Adam step, gradients), so every product pays
 * for packing and operator creation, and the transposed forms every Dense gradient asks for take a slow loop.
 * With both operands row-major along k, each output is a dot product of two contiguous rows: this kernel computes
 * 4×2 output blocks as 4-lane partial sums along k, adding the lanes at the end. Measured at 128×784×128 on this
 * project's 2-core machine: ~0.7 ms, against ~1.2 ms for XNNPACK with a fresh B; the other layouts transpose first
 * (tfjs's Transpose, ~0.1 ms for 100k floats) and are still faster than any direct kernel tried (a 4×8 broadcast-A
 * kernel for A·B took ~1.1 ms: B rows strided by N miss L1).
 *
 * Each output element is a float32 sum of float32 products, like XNNPACK's and the cpu backend's, in another order,
 * so results agree to rounding, not bit for bit. Shapes the blocks do not tile get null: the caller keeps tfjs's path.
 */
import { I32, ins, V128, wasmModule, type WasmFunction } from './wasmAsm';

/** (a, b, c): byte offsets of A [M,K], B [N,K] and C [M,N] on the heap. */
export type GemmFunction = (a: number, b: number, c: number) => void;

/** Whether the kernel tiles C = A·Bᵀ for A [m,k] and B [n,k]. */
export const gemmTiles = (m: number, k: number, n: number): boolean => m > 0 && k > 0 && n > 0 && m % 4 === 0 && k % 4 === 0 && n % 2 === 0;

const { get, set, tee, i32, i32add, i32ne, brIf, loop, end, v128load, v128zero, f32x4add, f32x4mul, f32x4extract, f32add, f32store } = ins;

/** acc += x·y, with x and y already on the stack. */
const fma = (acc: number) => [...f32x4mul, ...get(acc), ...f32x4add, ...set(acc)];

/** A row-major [M,K], B row-major [N,K]; dot products along k, four lanes at a time. */
function dotBlockKernel(m: number, k: number, n: number): WasmFunction {
  const rowA = k * 4;
  const rowB = k * 4;
  const rowC = n * 4;
  // Locals: 0 a, 1 b, 2 c; 3 pa, 4 pcRow, 5 cEnd, 6 pb, 7 pc, 8 jEnd, 9 p, 10 q, 11 pEnd; v128: 12-13 b0/b1, 14 av,
  // 15-22 accumulators [row][col].
  const [pa, pcRow, cEnd, pb, pc, jEnd, p, q, pEnd, bv, av] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14];
  const acc = (r: number, h: number) => 15 + r * 2 + h;
  const accs = [...Array(8).keys()].map((x) => 15 + x);
  // Unrolling k twice measured ~40% slower (V8 runs out of xmm registers and spills).
  const kStep: number[] = [...get(q), ...v128load(0), ...set(bv), ...get(q), ...v128load(rowB), ...set(bv + 1)];
  for (let r = 0; r < 4; r++) {
    kStep.push(...get(p), ...v128load(r * rowA), ...set(av));
    for (let h = 0; h < 2; h++) kStep.push(...get(av), ...get(bv + h), ...fma(acc(r, h)));
  }
  const store: number[] = [];
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) {
      const lane = (l: number) => [...get(acc(r, h)), ...f32x4extract(l)];
      store.push(...get(pc), ...lane(0), ...lane(1), ...f32add, ...lane(2), ...lane(3), ...f32add, ...f32add, ...f32store(r * rowC + h * 4));
    }
  }
  const body = [
    ...get(0), ...set(pa), ...get(2), ...tee(pcRow), ...i32(m * rowC), ...i32add, ...set(cEnd),
    ...loop,
    ...get(1), ...set(pb), ...get(pcRow), ...tee(pc), ...i32(rowC), ...i32add, ...set(jEnd),
    ...loop,
    ...accs.flatMap((x) => [...v128zero, ...set(x)]),
    ...get(pa), ...tee(p), ...i32(rowA), ...i32add, ...set(pEnd), ...get(pb), ...set(q),
    ...loop,
    ...kStep,
    ...get(q), ...i32(16), ...i32add, ...set(q),
    ...get(p), ...i32(16), ...i32add, ...tee(p), ...get(pEnd), ...i32ne, ...brIf(0),
    ...end,
    ...store,
    ...get(pb), ...i32(2 * rowB), ...i32add, ...set(pb),
    ...get(pc), ...i32(8), ...i32add, ...tee(pc), ...get(jEnd), ...i32ne, ...brIf(0),
    ...end,
    ...get(pa), ...i32(4 * rowA), ...i32add, ...set(pa),
    ...get(pcRow), ...i32(4 * rowC), ...i32add, ...tee(pcRow), ...get(cEnd), ...i32ne, ...brIf(0),
    ...end,
  ];
  return { name: 'gemm', params: [I32, I32, I32], locals: [[9, I32], [11, V128]], body };
}

/** The module for one shape (call gemmTiles first). */
export function gemmModuleBytes(m: number, k: number, n: number): Uint8Array<ArrayBuffer> {
  if (!gemmTiles(m, k, n)) throw new Error(`no A·Bᵀ kernel for ${m}×${k}×${n}`);
  return wasmModule([dotBlockKernel(m, k, n)]);
}

/** Compiled kernels per heap; a training graph uses a handful of shapes, so a small cache holds them all. */
const MAX_CACHED = 64;
const cacheByMemory = new WeakMap<WebAssembly.Memory, Map<string, GemmFunction>>();

/** The kernel for this shape on `memory`, compiled on first use; null where the shape does not tile. */
export function gemmKernel(memory: WebAssembly.Memory, m: number, k: number, n: number): GemmFunction | null {
  if (!gemmTiles(m, k, n)) return null;
  let cache = cacheByMemory.get(memory);
  if (!cache) cacheByMemory.set(memory, (cache = new Map()));
  const key = `${m}:${k}:${n}`;
  let fn = cache.get(key);
  if (!fn) {
    if (cache.size >= MAX_CACHED) cache.clear();
    const instance = new WebAssembly.Instance(new WebAssembly.Module(gemmModuleBytes(m, k, n)), { env: { memory } });
    fn = instance.exports.gemm as GemmFunction;
    cache.set(key, fn);
  }
  return fn;
}
