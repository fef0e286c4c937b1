// One DCGAN measurement per process (so stock and Ganvas kernels never share a tfjs engine):
//   tsx bench/dcgan.ts --backend wasm --kernels ganvas --warmup 2 --iterations 5   → one JSON line on stdout
// Times are per iteration, as wall time and as this process's CPU time (the 2-core machine is shared; the training
// is single-threaded, so on an idle machine the two agree).
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../src/train/backend';
import { loadMnistTrainImages } from '../src/cli/mnist';
import { registerLeakyReluGrad } from '../src/kernels/leakyReluGrad';
import { dcganLoop } from './dcganModel';
import { median } from './loops';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const backend = arg('backend', 'wasm') as BackendName;
const kernels = arg('kernels', 'ganvas') as 'ganvas' | 'stock';
const warmup = Number(arg('warmup', '2'));
const iterations = Number(arg('iterations', '5'));
const BATCH = Number(arg('batch', '128'));

async function main(): Promise<void> {
  await selectBackend(backend, { stockKernels: kernels === 'stock' });
  if (kernels === 'ganvas') registerLeakyReluGrad();
  const loop = dcganLoop(await loadMnistTrainImages(), BATCH, kernels === 'ganvas');
  for (let i = 0; i < warmup; i++) await loop.iteration();
  const numTensorsStart = tf.memory().numTensors;
  const wall: number[] = [];
  const cpu: number[] = [];
  let losses: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const [t0, c0] = [performance.now(), process.cpuUsage()];
    losses = await loop.iteration();
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  const numTensorsEnd = tf.memory().numTensors;
  const params = { G: loop.G.countParams(), D: loop.D.countParams() };
  loop.dispose();
  const out = { env: 'node', model: 'dcgan', backend: tf.getBackend(), kernels, batchSize: BATCH, warmup, iterations, wallMs: wall, cpuMs: cpu, median: median(wall), cpuMedian: median(cpu), losses, numTensorsStart, numTensorsEnd, params };
  process.stdout.write(JSON.stringify(out) + '\n');
}

await main();
