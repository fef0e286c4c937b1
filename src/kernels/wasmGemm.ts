/**
 * The float32 products of Ganvas's wasm kernels, as WebAssembly SIMD kernels on the tfjs wasm backend's heap, each
 * specialised to its inner sizes and row strides (the row count is a runtime argument, so one kernel serves every
 * chunk of a convolution and every row count of a matmul):
 *
 *   dot  C[m, 0..n) = A[m, 0..k) · B[j, 0..k)  for each row m   (C = A·Bᵀ; both operands contiguous along k)
 *        4×2 output blocks as 4-lane partial sums along k, adding the lanes at the end; k % 4 = 0, n % 2 = 0,
 *        rows in blocks of 4. MatMul (wasmMatMul.ts, through gemmKernel) and convolution (wasmConv.ts) use it.
 *   atb  C[0..k, 0..n) += Σ_m A[m, 0..k)ᵀ · B[m, 0..n)         (C += Aᵀ·B; both operands row-major, summed over rows)
 *        4×8 output blocks: each row adds one 4-lane B vector pair times four broadcast A values; k % 4 = 0,
 *        n % 8 = 0. Summing over rows needs no transposes: the filter gradient is im2col(x)ᵀ·dy with dy as it is.
 *
 * Why not tfjs's own: its wasm BatchMatMul hands plain products to XNNPACK, which first packs B into its own layout
 * and caches that per tensor. In training B is new at every call (weights after each Adam step, gradients), so every
 * product pays for packing and operator creation, and the transposed forms every Dense gradient asks for take a slow
 * loop. Measured at 128×784×128 on this project's 2-core machine: dot ~0.7 ms, against ~1.2 ms for XNNPACK with a
 * fresh B; the other matmul layouts transpose first (tfjs's Transpose, ~0.1 ms for 100k floats) and are still faster
 * than any direct kernel tried (a 4×8 broadcast-A kernel for A·B took ~1.1 ms: B rows strided by N miss L1).
 *
 * Strides are in elements. Each output is a float32 sum of float32 products, like XNNPACK's and the cpu backend's, in
 * another order, so results agree to rounding, not bit for bit. Without SIMD (or without an exported heap) the JS
 * loops below compute the same sums over heap views.
 */
import { I32, ins, V128, wasmModule, type WasmFunction } from './wasmAsm';

export interface GemmShape {
  k: number;
  n: number;
  lda: number;
  ldb: number;
  ldc: number;
}

/** dot: (a, b, c, rowBlocks) with byte offsets; computes 4·rowBlocks rows of C. */
export type DotFunction = (a: number, b: number, c: number, rowBlocks: number) => void;
/** atb: (a, b, c, rows) with byte offsets; adds the sum over `rows` rows into C. */
export type AtbFunction = (a: number, b: number, c: number, rows: number) => void;

const { get, set, tee, i32, i32add, i32mul, i32ne, i32eqz, brIf, block, loop, end, v128load, v128store, load32splat, v128zero, f32x4add, f32x4mul, f32x4extract, f32add, f32store } = ins;

/** acc += x·y, with x and y already on the stack. */
const fma = (acc: number) => [...f32x4mul, ...get(acc), ...f32x4add, ...set(acc)];

export const dotTiles = (s: GemmShape) => s.k > 0 && s.n > 0 && s.k % 4 === 0 && s.n % 2 === 0 && s.lda >= s.k && s.ldb >= s.k && s.ldc >= s.n;
export const atbTiles = (s: GemmShape) => s.k > 0 && s.n > 0 && s.k % 4 === 0 && s.n % 8 === 0 && s.lda >= s.k && s.ldb >= s.n && s.ldc >= s.n;

function dotFunction({ k, n, lda, ldb, ldc }: GemmShape): WasmFunction {
  const [rowA, rowB, rowC] = [lda * 4, ldb * 4, ldc * 4];
  // Params 0 a, 1 b, 2 c, 3 rowBlocks. Locals 4 pa, 5 pcRow, 6 cEnd, 7 pb, 8 pc, 9 jEnd, 10 p, 11 q, 12 pEnd;
  // v128 13-14 b rows, 15 a row, 16-23 accumulators [row][col].
  const [pa, pcRow, cEnd, pb, pc, jEnd, p, q, pEnd, bv, av] = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15];
  const acc = (r: number, h: number) => 16 + r * 2 + h;
  const accs = [...Array(8).keys()].map((x) => 16 + x);
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
    ...block, ...get(3), ...i32eqz, ...brIf(0),
    ...get(0), ...set(pa), ...get(2), ...tee(pcRow), ...get(3), ...i32(4 * rowC), ...i32mul, ...i32add, ...set(cEnd),
    ...loop,
    ...get(1), ...set(pb), ...get(pcRow), ...tee(pc), ...i32(n * 4), ...i32add, ...set(jEnd),
    ...loop,
    ...accs.flatMap((x) => [...v128zero, ...set(x)]),
    ...get(pa), ...tee(p), ...i32(k * 4), ...i32add, ...set(pEnd), ...get(pb), ...set(q),
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
    ...end,
  ];
  return { name: 'dot', params: [I32, I32, I32, I32], locals: [[9, I32], [11, V128]], body };
}

function atbFunction({ k, n, lda, ldb, ldc }: GemmShape): WasmFunction {
  const [rowA, rowB, rowC] = [lda * 4, ldb * 4, ldc * 4];
  // Params 0 a, 1 b, 2 c, 3 rows. Locals 4 aCol, 5 cRow, 6 cEnd, 7 bCol, 8 cBlk, 9 jEnd, 10 pa, 11 pb, 12 paEnd,
  // 13 rowsBytes; v128 14-15 b vectors, 16 a broadcast, 17-24 accumulators [row][col].
  const [aCol, cRow, cEnd, bCol, cBlk, jEnd, pa, pb, paEnd, rowsBytes, bv, av] = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16];
  const acc = (r: number, h: number) => 17 + r * 2 + h;
  const load: number[] = [];
  const store: number[] = [];
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) {
      load.push(...get(cBlk), ...v128load(r * rowC + h * 16), ...set(acc(r, h)));
      store.push(...get(cBlk), ...get(acc(r, h)), ...v128store(r * rowC + h * 16));
    }
  }
  const rowStep: number[] = [...get(pb), ...v128load(0), ...set(bv), ...get(pb), ...v128load(16), ...set(bv + 1)];
  for (let r = 0; r < 4; r++) {
    rowStep.push(...get(pa), ...load32splat(r * 4), ...set(av));
    for (let h = 0; h < 2; h++) rowStep.push(...get(av), ...get(bv + h), ...fma(acc(r, h)));
  }
  const body = [
    ...block, ...get(3), ...i32eqz, ...brIf(0),
    ...get(3), ...i32(rowA), ...i32mul, ...set(rowsBytes),
    ...get(0), ...set(aCol), ...get(2), ...tee(cRow), ...i32((k / 4) * 4 * rowC), ...i32add, ...set(cEnd),
    ...loop,
    ...get(1), ...set(bCol), ...get(cRow), ...tee(cBlk), ...i32(n * 4), ...i32add, ...set(jEnd),
    ...loop,
    ...load,
    ...get(aCol), ...tee(pa), ...get(rowsBytes), ...i32add, ...set(paEnd), ...get(bCol), ...set(pb),
    ...loop,
    ...rowStep,
    ...get(pb), ...i32(rowB), ...i32add, ...set(pb),
    ...get(pa), ...i32(rowA), ...i32add, ...tee(pa), ...get(paEnd), ...i32ne, ...brIf(0),
    ...end,
    ...store,
    ...get(bCol), ...i32(32), ...i32add, ...set(bCol),
    ...get(cBlk), ...i32(32), ...i32add, ...tee(cBlk), ...get(jEnd), ...i32ne, ...brIf(0),
    ...end,
    ...get(aCol), ...i32(16), ...i32add, ...set(aCol),
    ...get(cRow), ...i32(4 * rowC), ...i32add, ...tee(cRow), ...get(cEnd), ...i32ne, ...brIf(0),
    ...end,
    ...end,
  ];
  return { name: 'atb', params: [I32, I32, I32, I32], locals: [[10, I32], [11, V128]], body };
}

export const dotModuleBytes = (s: GemmShape) => wasmModule([dotFunction(s)]);
export const atbModuleBytes = (s: GemmShape) => wasmModule([atbFunction(s)]);

/** The same sums in JS over a heap view (float32 accumulation, like the SIMD kernels' lanes). */
export function dotLoop(heap: Float32Array, s: GemmShape): DotFunction {
  const acc = new Float32Array(1);
  return (a, b, c, rowBlocks) => {
    const [a0, b0, c0] = [a >> 2, b >> 2, c >> 2];
    for (let m = 0; m < rowBlocks * 4; m++) {
      for (let j = 0; j < s.n; j++) {
        acc[0] = 0;
        const pa = a0 + m * s.lda;
        const pb = b0 + j * s.ldb;
        for (let t = 0; t < s.k; t++) acc[0] += heap[pa + t] * heap[pb + t];
        heap[c0 + m * s.ldc + j] = acc[0];
      }
    }
  };
}

export function atbLoop(heap: Float32Array, s: GemmShape): AtbFunction {
  return (a, b, c, rows) => {
    const [a0, b0, c0] = [a >> 2, b >> 2, c >> 2];
    for (let m = 0; m < rows; m++) {
      const pa = a0 + m * s.lda;
      const pb = b0 + m * s.ldb;
      for (let i = 0; i < s.k; i++) {
        const x = heap[pa + i];
        if (x === 0) continue;
        const pc = c0 + i * s.ldc;
        for (let j = 0; j < s.n; j++) heap[pc + j] += x * heap[pb + j];
      }
    }
  };
}

const MAX_CACHED = 128;
const cacheByMemory = new WeakMap<WebAssembly.Memory, Map<string, DotFunction | AtbFunction>>();
let simdOk: boolean | undefined;

/** Whether this engine runs WebAssembly SIMD (the kernels' one requirement besides an exported heap). */
export function simdAvailable(): boolean {
  simdOk ??= WebAssembly.validate(dotModuleBytes({ k: 4, n: 2, lda: 4, ldb: 4, ldc: 2 }));
  return simdOk;
}

function compiled<F>(memory: WebAssembly.Memory, kind: 'dot' | 'atb', s: GemmShape, bytes: () => Uint8Array<ArrayBuffer>): F {
  let cache = cacheByMemory.get(memory);
  if (!cache) cacheByMemory.set(memory, (cache = new Map()));
  const key = `${kind}:${s.k}:${s.n}:${s.lda}:${s.ldb}:${s.ldc}`;
  let fn = cache.get(key);
  if (!fn) {
    if (cache.size >= MAX_CACHED) cache.clear();
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes()), { env: { memory } });
    fn = instance.exports[kind] as DotFunction | AtbFunction;
    cache.set(key, fn);
  }
  return fn as F;
}

/** The dot kernel for this shape on `memory` (compiled on first use). */
export function dotKernel(memory: WebAssembly.Memory, s: GemmShape): DotFunction {
  if (!dotTiles(s)) throw new Error(`no dot kernel for ${JSON.stringify(s)}`);
  return compiled(memory, 'dot', s, () => dotModuleBytes(s));
}

/** The atb kernel for this shape on `memory` (compiled on first use). */
export function atbKernel(memory: WebAssembly.Memory, s: GemmShape): AtbFunction {
  if (!atbTiles(s)) throw new Error(`no atb kernel for ${JSON.stringify(s)}`);
  return compiled(memory, 'atb', s, () => atbModuleBytes(s));
}

/** (a, b, c): byte offsets of A [M,K], B [N,K] and C [M,N], all row-major, on the heap. */
export type GemmFunction = (a: number, b: number, c: number) => void;

/** A plain product's operands: A [m,k] and B [n,k] contiguous rows, C [m,n]. */
const rowMajor = (k: number, n: number): GemmShape => ({ k, n, lda: k, ldb: k, ldc: n });

/** Whether the dot kernel tiles C = A·Bᵀ for A [m,k] and B [n,k]. */
export const gemmTiles = (m: number, k: number, n: number): boolean => m > 0 && m % 4 === 0 && dotTiles(rowMajor(k, n));

/** The module of C = A·Bᵀ for one shape (call gemmTiles first). */
export function gemmModuleBytes(m: number, k: number, n: number): Uint8Array<ArrayBuffer> {
  if (!gemmTiles(m, k, n)) throw new Error(`no A·Bᵀ kernel for ${m}×${k}×${n}`);
  return dotModuleBytes(rowMajor(k, n));
}

const gemmByDot = new WeakMap<DotFunction, Map<number, GemmFunction>>();

/** C = A·Bᵀ for this shape on `memory`: the dot kernel (compiled on first use) over m rows; null where it does not tile. */
export function gemmKernel(memory: WebAssembly.Memory, m: number, k: number, n: number): GemmFunction | null {
  if (!gemmTiles(m, k, n)) return null;
  const dot = dotKernel(memory, rowMajor(k, n));
  let byRows = gemmByDot.get(dot);
  if (!byRows) gemmByDot.set(dot, (byRows = new Map()));
  let fn = byRows.get(m);
  if (!fn) {
    const rowBlocks = m / 4;
    fn = (a, b, c) => dot(a, b, c, rowBlocks);
    byRows.set(m, fn);
  }
  return fn;
}
