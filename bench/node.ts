// One Node measurement per process, so stock and fixed kernels never share a tfjs engine:
//   tsx bench/node.ts --backend wasm --loop ganvas  → one JSON line on stdout
import { readFileSync } from 'node:fs';
import { selectBackend, type BackendName } from '../src/train/backend';
import { decodeDocument } from '../src/graph/document';
import { loadMnistTrainImages } from '../src/cli/mnist';
import { measureLoop, type LoopKind } from './loops';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const backend = arg('backend', 'wasm') as BackendName;
const loop = arg('loop', 'ganvas') as LoopKind;
const blockIterations = Number(arg('block', '20'));

const decoded = decodeDocument(JSON.parse(readFileSync(new URL('../presets/mnist-gan.json', import.meta.url), 'utf8')));
if (!decoded.ok) throw new Error('preset invalid');
await selectBackend(backend, { stockKernels: loop === 'naive' });
const data = await loadMnistTrainImages();
const m = await measureLoop(loop, decoded.doc, data, { batchSize: 128, warmup: 5, blocks: 3, blockIterations });
process.stdout.write(JSON.stringify({ env: 'node', ...m }) + '\n');
