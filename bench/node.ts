// One Node measurement per process, so stock and Ganvas kernels never share a tfjs engine:
//   tsx bench/node.ts --preset mnist-gan --backend wasm --loop ganvas [--warmup 5 --blocks 3 --block 20 --batch N]
//   tsx bench/node.ts --preset dcgan-mnist --backend cpu --loop naive --halves   (one cold iteration, Step D then Step G)
// Prints a JSON line {"progress": …} whenever a part finishes (bench/run.ts keeps the last one if it has to cut the
// run off) and, at the end, the measurement as one JSON line.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { selectBackend, type BackendName } from '../src/train/backend';
import { decodeDocument } from '../src/graph/document';
import { loadMnistTrainImages } from '../src/cli/mnist';
import { measureLoop, timeHalves, type LoopKind, type LoopProgress } from './loops';

const { values: a } = parseArgs({
  options: {
    preset: { type: 'string', default: 'mnist-gan' },
    backend: { type: 'string', default: 'wasm' },
    loop: { type: 'string', default: 'ganvas' },
    warmup: { type: 'string', default: '5' },
    blocks: { type: 'string', default: '3' },
    block: { type: 'string', default: '20' },
    batch: { type: 'string' },
    halves: { type: 'boolean', default: false },
  },
});
const decoded = decodeDocument(JSON.parse(readFileSync(new URL(`../presets/${a.preset}.json`, import.meta.url), 'utf8')));
if (!decoded.ok) throw new Error(`preset ${a.preset} invalid`);
const doc = decoded.doc;
const loop = a.loop as LoopKind;
const batchSize = Number(a.batch ?? doc.training.batchSize);
await selectBackend(a.backend as BackendName, { stockKernels: loop === 'naive' });
const data = await loadMnistTrainImages();
const report = (progress: LoopProgress) => process.stdout.write(JSON.stringify({ progress }) + '\n');
const head = { env: 'node', preset: a.preset, loop, backend: a.backend, batchSize };
if (a.halves) {
  const p = await timeHalves(loop, doc, data, batchSize, report);
  process.stdout.write(JSON.stringify({ ...head, halves: p, median: p.stepDMs! + p.stepGMs!, blocks: [], warmup: 0, blockIterations: 1 }) + '\n');
} else {
  const m = await measureLoop(loop, doc, data, { batchSize, warmup: Number(a.warmup), blocks: Number(a.blocks), blockIterations: Number(a.block), onProgress: report });
  process.stdout.write(JSON.stringify({ ...head, ...m }) + '\n');
}
