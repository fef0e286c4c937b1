// Runs one measurement in the page: ?backend=webgl|wasm&loop=naive|ganvas&block=N, or ?task=mnist.
// The result lands in window.__bench for bench/run.ts to collect.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selectBackend, type BackendName } from '../../src/engine/backend';
import { decodeDocument } from '../../src/engine/document';
import { fetchMnistTrainImages } from '../../src/engine/mnistBrowser';
import preset from '../../presets/mnist-gan.json';
import { measureLoop, type LoopKind } from '../loops';

declare global {
  interface Window {
    __bench?: unknown;
  }
}

const params = new URLSearchParams(location.search);
const out = document.getElementById('out')!;

async function main(): Promise<unknown> {
  const t0 = performance.now();
  const data = await fetchMnistTrainImages(document.baseURI);
  const mnistMs = performance.now() - t0;
  if (params.get('task') === 'mnist') return { env: 'chromium', task: 'mnist', mnistMs, images: data.count };
  const loop = (params.get('loop') ?? 'ganvas') as LoopKind;
  await selectBackend((params.get('backend') ?? 'webgl') as BackendName, {
    stockKernels: loop === 'naive',
    wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded },
  });
  const decoded = decodeDocument(preset);
  if (!decoded.ok) throw new Error('preset invalid');
  const m = await measureLoop(loop, decoded.doc, data, { batchSize: 128, warmup: 5, blocks: 3, blockIterations: Number(params.get('block') ?? 20) });
  return { env: 'chromium', ...m };
}

main().then(
  (r) => {
    window.__bench = r;
    out.textContent = JSON.stringify(r, null, 2);
  },
  (e: unknown) => {
    window.__bench = { error: String(e instanceof Error ? e.stack ?? e.message : e) };
    out.textContent = String(e);
  },
);
