// CPU time per wasm kernel (by name and input shapes) over DCGAN iterations: where an iteration goes.
//   tsx bench/profileDcgan.ts [--iterations 2] [--batch 128]
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/train/backend';
import { loadMnistTrainImages } from '../src/cli/mnist';
import { registerLeakyReluGrad } from '../src/kernels/leakyReluGrad';
import { dcganLoop } from './dcganModel';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const iterations = Number(arg('iterations', '2'));
const batch = Number(arg('batch', '128'));

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
const loop = dcganLoop(await loadMnistTrainImages(), batch, true);
await loop.iteration();
totals.clear();
const c0 = process.cpuUsage();
for (let i = 0; i < iterations; i++) await loop.iteration();
const c = process.cpuUsage(c0);
const all = (c.user + c.system) / 1000 / iterations;
const rows = [...totals].sort((a, b) => b[1].us - a[1].us);
const inKernels = rows.reduce((s, [, e]) => s + e.us, 0) / 1000 / iterations;
console.log(`CPU ms per iteration: ${all.toFixed(0)} (in kernels ${inKernels.toFixed(0)})`);
for (const [key, e] of rows.slice(0, 40)) console.log(`${(e.us / 1000 / iterations).toFixed(1).padStart(8)} ms  ${String(e.calls / iterations).padStart(4)}×  ${key}`);
loop.dispose();
