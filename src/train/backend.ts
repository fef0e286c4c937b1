// Choosing a tfjs backend, the same way in Node, the page and the worker. Ganvas's kernel fixes are installed here so
// every caller of the wasm backend gets them.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from '../kernels/wasmMatMul';

export const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendOptions {
  /** Where the browser finds the .wasm binaries (Vite gives URLs); Node finds them beside the package. */
  wasmPaths?: Record<string, string>;
  /** Stock tfjs kernels only: the naive baseline of the benchmark. */
  stockKernels?: boolean;
}

/** Switches to `name`; resolves to the backend actually in use, or throws when it cannot be initialised. */
export async function selectBackend(name: BackendName, options: BackendOptions = {}): Promise<BackendName> {
  if (name === 'wasm' && options.wasmPaths) setWasmPaths(options.wasmPaths);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`The ${name} backend could not be initialised here.`);
  await tf.ready();
  if (name === 'wasm' && !options.stockKernels) installWasmKernelFixes();
  if (name === 'webgl') {
    // Keras's ε is 1e-7; the engine passes it explicitly, but float32 textures must exist for it to mean anything.
    if (!tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) console.warn('WebGL: float32 rendering is unavailable; results lose precision.');
  }
  return tf.getBackend() as BackendName;
}
