import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

// Just enough of the WebAssembly binary format to emit Ganvas's small SIMD kernels from TypeScript: no toolchain, no
// generated files, and each kernel is specialised to its shapes when it is first needed.

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length), ...bytes];
const str = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

const SIMD = 0xfd;
/** memarg: alignment hint (log2 bytes) and a constant byte offset. */
const memarg = (alignLog2: number, offset: number) => [alignLog2, ...leb(offset)];

/** Instructions, each a byte array to spread into a function body. */
export const ins = {
  get: (i: number) => [0x20, ...leb(i)],
  set: (i: number) => [0x21, ...leb(i)],
  tee: (i: number) => [0x22, ...leb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  i32add: [0x6a],
  i32mul: [0x6c],
  i32shl: [0x74],
  i32eqz: [0x45],
  i32ne: [0x47],
  i32ltu: [0x49],
  f32add: [0x92],
  /** A float32 constant (little-endian bits). */
  f32const: (x: number) => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)],
  f32store: (offset: number) => [0x38, ...memarg(2, offset)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  brIf: (depth: number) => [0x0d, ...leb(depth)],
  end: [0x0b],
  v128load: (offset: number) => [SIMD, 0x00, ...memarg(2, offset)],
  v128store: (offset: number) => [SIMD, 0x0b, ...memarg(2, offset)],
  /** Loads one float32 and puts it in all four lanes. */
  load32splat: (offset: number) => [SIMD, 0x09, ...memarg(2, offset)],
  v128zero: [SIMD, 0x0c, ...Array(16).fill(0)],
  f32x4splat: [SIMD, 0x13],
  f32x4extract: (lane: number) => [SIMD, 0x1f, lane],
  f32x4sqrt: [SIMD, 0xe3, 0x01],
  f32x4add: [SIMD, 0xe4, 0x01],
  f32x4mul: [SIMD, 0xe6, 0x01],
  f32x4div: [SIMD, 0xe7, 0x01],
  f32x4min: [SIMD, 0xe8, 0x01],
  f32x4max: [SIMD, 0xe9, 0x01],
  f32x4lt: [SIMD, 0x43],
  f32x4gt: [SIMD, 0x44],
  /** v128.bitselect(a, b, mask): a where mask bits are 1, else b. */
  v128bitselect: [SIMD, 0x52],
} as const;

export interface WasmFunction {
  name: string;
  params: number[];
  /** Local declarations after the params, as [count, type] runs. */
  locals: Array<[number, number]>;
  body: number[];
}

/** A module importing `env.memory` (the tfjs wasm backend's heap) and exporting `functions`, none returning values. */
export function wasmModule(functions: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.flatMap((f) => [0x60, ...leb(f.params.length), ...f.params, 0]);
  const codes = functions.flatMap((f) => {
    const code = [...leb(f.locals.length), ...f.locals.flatMap(([n, t]) => [...leb(n), t]), ...f.body, ...ins.end];
    return [...leb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...leb(functions.length), ...types]),
    ...section(2, [1, ...str('env'), ...str('memory'), 0x02, 0x00, 0x00]),
    ...section(3, [...leb(functions.length), ...functions.map((_, i) => i)]),
    ...section(7, [...leb(functions.length), ...functions.flatMap((f, i) => [...str(f.name), 0x00, ...leb(i)])]),
    ...section(10, [...leb(functions.length), ...codes]),
  ]);
}

/** The exported memory of a non-threaded tfjs wasm backend (the threaded build imports a shared one: null there). */
export function wasmBackendMemory(backend: object): WebAssembly.Memory | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** Byte offset of a tensor's data on the wasm heap: what the kernels here take for their pointers. */
export const heapOffset = (backend: BackendWasm, t: TensorInfo): number => backend.dataIdMap.get(t.dataId)!.memoryOffset;
