// `npx tsx bench/eval.ts [--backend wasm|cpu] [--samples 2000]`: what one quality-meter evaluation costs — the classic
// preset's generator drawing N samples, the classifier reading them, and the Fréchet/IS/coverage math — median of 5
// after a warm-up, split into the tfjs part and the Float64 statistics. One JSON line on stdout.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { selectBackend, type BackendName } from '../src/train/backend';
import { decodeDocument } from '../src/graph/document';
import { compileGan } from '../src/train/compile';
import { loadQualityMeter } from '../src/cli/classifierFiles';
import { classify } from '../src/eval/classifier';
import { scoreOutputs } from '../src/eval/scores';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const backend = arg('backend', 'wasm') as BackendName;
const samples = Number(arg('samples', '2000'));

tf.enableProdMode();
await selectBackend(backend);
const decoded = decodeDocument(JSON.parse(readFileSync(new URL('../presets/mnist-gan.json', import.meta.url), 'utf8')));
if (!decoded.ok) throw new Error('preset invalid');
const compiled = compileGan(decoded.doc, { seed: 1 });
if (!compiled.ok) throw new Error('preset does not compile');
const generator = compiled.gan.generator;
const meter = await loadQualityMeter();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const total: number[] = [];
const forward: number[] = [];
const math: number[] = [];
for (let rep = 0; rep < 6; rep++) {
  const t0 = performance.now();
  const outputs = await classify(meter.heads, samples, (start, n) => generator.predict(tf.randomNormal([n, compiled.gan.zSize], 0, 1, 'float32', start + rep)) as tf.Tensor);
  const t1 = performance.now();
  scoreOutputs(outputs, meter.test);
  const t2 = performance.now();
  if (rep === 0) continue;
  total.push(t2 - t0);
  forward.push(t1 - t0);
  math.push(t2 - t1);
}
process.stdout.write(
  JSON.stringify({ bench: 'quality-meter', backend, samples, msPerEvaluation: Math.round(median(total)), msForward: Math.round(median(forward)), msStatistics: Math.round(median(math)), runs: total.length }) + '\n',
);
meter.dispose();
compiled.gan.dispose();
