// Soak test: trains the preset for many iterations and watches memory, to catch leaks a short test cannot see.
//
//   npx tsx scripts/soak.ts --iterations 20000 --backend wasm --every 1000 --out /tmp/soak.json
//
// Every N iterations it samples tf.memory().numTensors/numBytes and process.memoryUsage().rss/heapUsed, prints a table
// row, and at the end writes everything as JSON. Exits 1 when numTensors grows between the first sample after warm-up
// and the last, or RSS grows by more than --rss-growth (default 20%) over that span; 2 on bad arguments.
//
// Training goes through the same TrainingRun as the app and the CLI (checkpoints, weight snapshots, 4×4 grids), so
// their allocations are soaked too. The backend is chosen by the CLI's chooseNodeBackend: wasm from the package's dist/
// with Ganvas's kernel fixes installed.
import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { chooseNodeBackend, type BackendName } from '../src/cli/cli';
import { compileGan } from '../src/train/compile';
import { parseDocument } from '../src/graph/document';
import { loadMnistTrainImages } from '../src/cli/mnist';
import { TrainingRun } from '../src/train/run';
import { GanTrainer } from '../src/train/trainer';

interface Options {
  iterations: number;
  every: number;
  backend: BackendName;
  out?: string;
  data?: string;
  graph: string;
  batchSize?: number;
  /** Samples before this iteration are warm-up: Adam moments, label batches and the wasm heap settle there. */
  warmup: number;
  rssGrowth: number;
}

interface Sample {
  iteration: number;
  numTensors: number;
  numBytes: number;
  rss: number;
  heapUsed: number;
  msPerIteration: number;
  dLoss: number;
  gLoss: number;
}

const USAGE = `Usage: npx tsx scripts/soak.ts [--iterations N] [--every N] [--backend wasm|cpu] [--out FILE.json]
                 [--data MNIST_IDX(.gz)] [--graph GRAPH.json] [--batch N] [--warmup N] [--rss-growth 0.2]`;

function parse(argv: string[]): Options | string {
  const o: Options = { iterations: 20_000, every: 1_000, backend: 'wasm', graph: 'presets/mnist-gan.json', warmup: -1, rssGrowth: 0.2 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') return USAGE;
    if (value === undefined) return `${flag} needs a value\n${USAGE}`;
    i++;
    const int = () => (/^\d+$/.test(value) && Number(value) > 0 ? Number(value) : undefined);
    switch (flag) {
      case '--iterations':
      case '--every':
      case '--batch':
      case '--warmup': {
        const n = int();
        if (n === undefined) return `${flag} needs a positive whole number, got ${JSON.stringify(value)}`;
        if (flag === '--iterations') o.iterations = n;
        else if (flag === '--every') o.every = n;
        else if (flag === '--batch') o.batchSize = n;
        else o.warmup = n;
        break;
      }
      case '--backend':
        if (value !== 'wasm' && value !== 'cpu') return `--backend must be wasm or cpu, got ${JSON.stringify(value)}`;
        o.backend = value;
        break;
      case '--rss-growth': {
        const r = Number(value);
        if (!Number.isFinite(r) || r < 0) return `--rss-growth needs a fraction like 0.2, got ${JSON.stringify(value)}`;
        o.rssGrowth = r;
        break;
      }
      case '--out':
        o.out = value;
        break;
      case '--data':
        o.data = value;
        break;
      case '--graph':
        o.graph = value;
        break;
      default:
        return `unknown option ${flag}\n${USAGE}`;
    }
  }
  if (o.every > o.iterations) return `--every (${o.every}) is more than --iterations (${o.iterations})`;
  // Default warm-up: two sample intervals. TrainingRun's first weight snapshot is taken before the first step, when
  // Adam has no moments yet; the snapshot at the first checkpoint holds copies of them (16 more tensors for the
  // preset), so the tensor count is steady only from the second checkpoint on.
  if (o.warmup < 0) o.warmup = 2 * o.every;
  const lastSample = o.iterations - (o.iterations % o.every);
  if (o.warmup >= lastSample) return `--warmup (${o.warmup}) leaves no later sample to compare with; lower --every or raise --iterations`;
  return o;
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const gc = (globalThis as { gc?: () => void }).gc;

function measure(iteration: number, msPerIteration: number, dLoss: number, gLoss: number): Sample {
  // With --expose-gc the heap numbers show live data rather than garbage not yet collected.
  gc?.();
  const m = tf.memory();
  const p = process.memoryUsage();
  return { iteration, numTensors: m.numTensors, numBytes: m.numBytes, rss: p.rss, heapUsed: p.heapUsed, msPerIteration, dLoss, gLoss };
}

const header = `${'iteration'.padStart(9)} ${'tensors'.padStart(8)} ${'tensor MB'.padStart(9)} ${'RSS MB'.padStart(8)} ${'heap MB'.padStart(8)} ${'ms/iter'.padStart(8)} ${'D loss'.padStart(9)} ${'G loss'.padStart(9)}`;
const row = (s: Sample) =>
  `${String(s.iteration).padStart(9)} ${String(s.numTensors).padStart(8)} ${mb(s.numBytes).padStart(9)} ${mb(s.rss).padStart(8)} ${mb(s.heapUsed).padStart(8)} ${s.msPerIteration.toFixed(2).padStart(8)} ${s.dLoss.toFixed(5).padStart(9)} ${s.gLoss.toFixed(5).padStart(9)}`;

async function main(): Promise<number> {
  const parsed = parse(process.argv.slice(2));
  if (typeof parsed === 'string') {
    const help = parsed === USAGE;
    (help ? process.stdout : process.stderr).write(`${parsed}\n`);
    return help ? 0 : 2;
  }
  const o = parsed;
  // Silences tfjs's "install tfjs-node" banner and its debug checks, as the CLI does.
  tf.enableProdMode();
  const choice = await chooseNodeBackend(o.backend);
  const loaded = parseDocument(readFileSync(o.graph, 'utf8'));
  if (!loaded.ok) throw new Error(`${o.graph}: ${JSON.stringify(loaded.errors)}`);
  const doc = loaded.doc;
  const compiled = compileGan(doc);
  if (!compiled.ok) throw new Error(`${o.graph} does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  const data = await loadMnistTrainImages(o.data);
  const batchSize = o.batchSize ?? doc.training.batchSize;
  const trainer = new GanTrainer(compiled.gan, data, batchSize, doc.training.seed);

  console.log(`soak: ${o.iterations} iterations of ${doc.name}, batch ${batchSize}, ${choice.backend}${choice.kernelFixes ? ' + kernel fixes' : ''}, sample every ${o.every}, warm-up ${o.warmup}${gc ? ', gc exposed' : ''}`);
  console.log(header);
  const samples: Sample[] = [measure(0, 0, Number.NaN, Number.NaN)];
  console.log(row(samples[0]));
  let mark = performance.now();
  const run = new TrainingRun(
    trainer,
    // checkEvery: losses are read back (and NaN-checked) this often, as the app does; sampleInterval drives our samples.
    { iterations: o.iterations, sampleInterval: o.every, checkEvery: Math.min(100, o.every) },
    {
      checkpoint(stats) {
        const now = performance.now();
        const s = measure(stats.iteration, (now - mark) / o.every, stats.dLoss, stats.gLoss);
        mark = now;
        samples.push(s);
        console.log(row(s));
      },
      // Drawing grids allocates too; request them as the app does.
      sample: () => undefined,
      fault: (f) => console.error(`soak: training fault ${f.code} ${JSON.stringify(f.args)}`),
    },
  );
  const outcome = await run.run();
  run.dispose();
  trainer.dispose();
  compiled.gan.combined.dispose();

  const base = samples.find((s) => s.iteration >= o.warmup)!;
  const last = samples[samples.length - 1];
  const rssGrowth = (last.rss - base.rss) / base.rss;
  const reasons: string[] = [];
  if (outcome !== 'finished') reasons.push(`training ended as "${outcome}" at iteration ${trainer.iteration}`);
  if (last.numTensors > base.numTensors) reasons.push(`numTensors grew from ${base.numTensors} (iteration ${base.iteration}) to ${last.numTensors} (iteration ${last.iteration})`);
  if (rssGrowth > o.rssGrowth) reasons.push(`RSS grew ${(100 * rssGrowth).toFixed(1)}% (limit ${(100 * o.rssGrowth).toFixed(0)}%) from ${mb(base.rss)} MB to ${mb(last.rss)} MB`);
  const verdict = {
    ok: reasons.length === 0,
    reasons,
    baselineIteration: base.iteration,
    tensorGrowth: last.numTensors - base.numTensors,
    rssGrowthFraction: rssGrowth,
    heapGrowthFraction: (last.heapUsed - base.heapUsed) / base.heapUsed,
  };
  if (o.out) {
    const record = { options: o, backend: choice.backend, kernelFixes: choice.kernelFixes, batchSize, outcome, samples, verdict, finishedAt: new Date().toISOString() };
    // NaN (the iteration-0 losses) is not JSON; null says "not measured".
    writeFileSync(o.out, `${JSON.stringify(record, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  }
  console.log(
    verdict.ok
      ? `soak: OK — tensors ${base.numTensors} → ${last.numTensors}, RSS ${mb(base.rss)} → ${mb(last.rss)} MB (${(100 * rssGrowth).toFixed(1)}%) from iteration ${base.iteration} to ${last.iteration}${o.out ? `; wrote ${o.out}` : ''}`
      : `soak: FAILED — ${reasons.join('; ')}${o.out ? `; wrote ${o.out}` : ''}`,
  );
  return verdict.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`soak: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
