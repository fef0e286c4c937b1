// CPU time per wasm kernel (by name and input shapes) over iterations of Ganvas's trainer on a preset (default the
// chapter-4 DCGAN): where an iteration goes.
//   tsx bench/profileDcgan.ts [--iterations 2] [--batch 128] [--preset dcgan-mnist]
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { selectBackend } from '../src/train/backend';
import { loadMnistTrainImages } from '../src/cli/mnist';
import { registerLeakyReluGrad } from '../src/kernels/leakyReluGrad';
import { decodeDocument } from '../src/graph/document';
import { compileGan } from '../src/train/compile';
import { disposeStats, GanTrainer, readStats } from '../src/train/trainer';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const iterations = Number(arg('iterations', '2'));
const batch = Number(arg('batch', '128'));
const preset = arg('preset', 'dcgan-mnist');

await selectBackend('wasm');
registerLeakyReluGrad();
const totals = new Map<string, { calls: number; us: number }>();
for (const config of tf.getKernelsForBackend('wasm')) {
  const inner = config.kernelFunc;
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      const c0 = process.cpuUsage();
      const out = inner(args);
      const c = process.cpuUsage(c0);
      const key = `${config.kernelName} ${Object.values(args.inputs).map((t) => (t as tf.TensorInfo | undefined)?.shape.join('×') ?? '-').join(' ')}`;
      const e = totals.get(key) ?? { calls: 0, us: 0 };
      e.calls++;
      e.us += c.user + c.system;
      totals.set(key, e);
      return out;
    },
  });
}
const decoded = decodeDocument(JSON.parse(readFileSync(new URL(`../presets/${preset}.json`, import.meta.url), 'utf8')));
if (!decoded.ok) throw new Error(`preset ${preset} invalid`);
const compiled = compileGan(decoded.doc, { seed: 1 });
if (!compiled.ok) throw new Error(`${preset} does not compile`);
const trainer = new GanTrainer(compiled.gan, await loadMnistTrainImages(), batch, 1);
const iteration = async () => {
  const t = trainer.step();
  await readStats(trainer.iteration, t);
  disposeStats(t);
};
await iteration();
totals.clear();
const c0 = process.cpuUsage();
for (let i = 0; i < iterations; i++) await iteration();
const c = process.cpuUsage(c0);
const all = (c.user + c.system) / 1000 / iterations;
const rows = [...totals].sort((a, b) => b[1].us - a[1].us);
const inKernels = rows.reduce((s, [, e]) => s + e.us, 0) / 1000 / iterations;
console.log(`CPU ms per iteration: ${all.toFixed(0)} (in kernels ${inKernels.toFixed(0)})`);
for (const [key, e] of rows.slice(0, 40)) console.log(`${(e.us / 1000 / iterations).toFixed(1).padStart(8)} ms  ${String(e.calls / iterations).padStart(4)}×  ${key}`);
trainer.dispose();
compiled.gan.dispose();
