// The headless runner behind `npm run train`: argument parsing and the whole run as an importable library, so tests
// drive exactly what users run. It trains through the same TrainingRun as the browser and writes one output directory:
// samples_<iteration>.png, history.json, loss.svg, accuracy.svg, graph.json and generator/ (a tfjs LayersModel).
// Node only.
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs as parseArgsNode, type ParseArgsConfig } from 'node:util';
import { engineMessage } from '../i18n/messages';
import { selectBackend } from '../train/backend';
import { accuracyChartSvg, lossChartSvg } from '../io/charts';
import { analyzeGraph } from '../graph/analyze';
import { compileGan } from '../train/compile';
import { parseDocument, serializeDocument, TRAINING_LIMITS, type GraphDocument, type TrainingSettings } from '../graph/document';
import { MnistError, withLabels } from '../data/mnist';
import { installedMnistPath, loadMnistTrainImages, loadMnistTrainLabels } from './mnist';
import { labelledGridToPng } from './labelledPng';
import { checkSampleLabels, digitCaption } from '../io/sampleGrid';
import { saveModelToDirectory } from './modelFiles';
import { imageGridToPng } from './png';
import { DataError, type DatasetMeta, type PreparedDataset } from '../data/dataset';
import { sourceShape } from '../data/imageSource';
import { datasetPreviewPng, datasetSummary, isMnistTrainImages, prepareHeadlessData, withDataset } from './headlessData';
import { TrainingRun, type TrainingFault } from '../train/run';
import { PRESET_IDS } from '../graph/presets';
import { fileURLToPath } from 'node:url';

/** The bundled presets' folder, wherever the runner is started from. */
export const PRESETS_DIR = fileURLToPath(new URL('../../presets/', import.meta.url));
import { GanTrainer } from '../train/trainer';
import type { ImageSource } from '../data/imageSource';
import { loadQualityMeter } from './classifierFiles';
import { DEFAULT_SAMPLES, EVAL_SAMPLES_RANGE, type QualityMeter } from '../eval/meter';
import { formatScoresLine } from '../eval/format';
import type { Scores } from '../eval/scores';
import { hashString } from '../train/random';

export type BackendName = 'cpu' | 'wasm';

export interface CliOptions {
  /** The graph file: the positional argument, or presets/ID.json for `--preset ID`. */
  graph: string;
  out: string;
  iterations?: number;
  sampleInterval?: number;
  batchSize?: number;
  seed?: number;
  /** Unset: wasm when it loads, else cpu. */
  backend?: BackendName;
  /** A folder of images, a .zip of them, or an IDX images file (raw or .gz); unset: the installed MNIST. */
  data?: string;
  /** The IDX labels file for an IDX `data` (default: the sibling its name implies, e.g. train-labels-idx1-ubyte); for a
   * conditional GAN on MNIST's own --data file, MNIST's training labels (verified). */
  labels?: string;
  /** Pixel size of each image pixel in the sample PNGs. */
  pngScale?: number;
  /** A conditional GAN's grid digits; unset: the graph's training.sampleLabels, else every class. */
  sampleLabels?: number[];
  /** Score each checkpoint with the quality meter (Fréchet distance, IS, coverage, confidence). */
  eval?: boolean;
  /** Generated images per score (default 10,000). */
  evalSamples?: number;
}

export type ParseResult = { ok: true; options: CliOptions } | { ok: true; help: true } | { ok: false; message: string };

export const USAGE = `Usage: npm run train -- GRAPH.json [options]
       npm run train -- --preset ID [options]

Trains the GAN described by a Ganvas graph file on MNIST or your own images, headless, and writes the results to one
directory.

Options (defaults come from the graph's "training" block):
  --preset ID           train a bundled preset instead of a file: ${PRESET_IDS.join(', ')}
  --iterations N        iterations to train
  --sample-interval K   log line, sample grid and chart point every K iterations
  --batch-size B        images per batch
  --seed S              seed for weights, batches and noise
  --out DIR             output directory (default: out/<graph file name>)
  --backend cpu|wasm    tfjs backend (default: wasm if it loads, else cpu)
  --data DIR|ZIP|IDX    train on your own images instead of the installed MNIST: a folder of PNG, JPEG, WebP, BMP
                        or GIF files (class subfolders become labels), a .zip of one, or an IDX images file (raw or
                        .gz; MNIST's own files work too). They are prepared to the image input's shape: each image is
                        centre-cropped to that shape's proportions, then resized by area averaging
  --labels FILE         IDX labels for --data IDX (default: the file its name implies, e.g. train-labels-idx1-ubyte);
                        a conditional GAN on MNIST reads the installed labels, or these beside MNIST's own --data
  --png-scale N         screen pixels per image pixel in samples_*.png (default 4)
  --sample-labels L     a conditional GAN's grid digits, e.g. 3 or 0,1,2 (default: the graph's, else 0-9)
  --eval                score every checkpoint with the digit classifier (Fréchet distance, Inception Score,
                        digits covered, confidence); printed after the log line, stored in history.json
  --eval-samples N      generated images per score (default 10000)
  -h, --help            show this help

Writes DIR/samples_<iteration>.png, history.json, loss.svg, accuracy.svg, graph.json and generator/model.json
(+ weights.bin, loadable with tf.loadLayersModel). Exit codes: 0 done, 1 training or data failure, 2 bad arguments
or graph file, 130 interrupted. Nothing is left at DIR unless the run finishes.`;

const INT_OPTIONS = {
  iterations: 'iterations',
  'sample-interval': 'sampleInterval',
  'batch-size': 'batchSize',
  seed: 'seed',
  'png-scale': 'pngScale',
  'eval-samples': 'evalSamples',
} as const;
const STRING_OPTIONS = { out: 'out', backend: 'backend', data: 'data', labels: 'labels', preset: 'preset', 'sample-labels': 'sampleLabels' } as const;
const BOOLEAN_OPTIONS = { eval: 'eval' } as const;

const isIntOption = (name: string): name is keyof typeof INT_OPTIONS => Object.hasOwn(INT_OPTIONS, name);
const isStringOption = (name: string): name is keyof typeof STRING_OPTIONS => Object.hasOwn(STRING_OPTIONS, name);
const isBooleanOption = (name: string): name is keyof typeof BOOLEAN_OPTIONS => Object.hasOwn(BOOLEAN_OPTIONS, name);

function intRange(key: (typeof INT_OPTIONS)[keyof typeof INT_OPTIONS]): { min: number; max: number } {
  if (key === 'pngScale') return { min: 1, max: 16 };
  if (key === 'evalSamples') return EVAL_SAMPLES_RANGE;
  return TRAINING_LIMITS[key];
}

// node:util's parser splits the arguments (both --flag value and --flag=value, `--`, -h); non-strict mode with tokens
// lets each problem get this runner's own one-line message instead of Node's error text.
const PARSE_OPTIONS = {
  ...Object.fromEntries([...Object.keys(INT_OPTIONS), ...Object.keys(STRING_OPTIONS)].map((k) => [k, { type: 'string' as const }])),
  eval: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

/** Parses the arguments after `npm run train --`. Every problem is a one-line message; nothing is read from disk. */
export function parseArgs(argv: readonly string[]): ParseResult {
  const { tokens } = parseArgsNode({ args: [...argv], options: PARSE_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const seen = new Set<string>();
  const positional: string[] = [];
  const opts: Partial<CliOptions> & { preset?: string } = {};
  for (const token of tokens) {
    if (token.kind === 'positional') positional.push(token.value);
    if (token.kind !== 'option') continue;
    const { name, rawName: flag } = token;
    if (name === 'help') return { ok: true, help: true };
    if (!isIntOption(name) && !isStringOption(name) && !isBooleanOption(name)) return { ok: false, message: `unknown option ${JSON.stringify(flag)} (see --help)` };
    if (seen.has(name)) return { ok: false, message: `${flag} is given twice` };
    seen.add(name);
    if (isBooleanOption(name)) {
      if (token.inlineValue) return { ok: false, message: `${flag} takes no value` };
      opts[BOOLEAN_OPTIONS[name]] = true;
      continue;
    }
    const value = token.value;
    // `--out --seed 1`: the next flag is not --out's value (node:util would take it).
    if (value === undefined || (!token.inlineValue && value.startsWith('--') && value.length > 2)) return { ok: false, message: `${flag} needs a value` };
    if (isIntOption(name)) {
      const key = INT_OPTIONS[name];
      const { min, max } = intRange(key);
      if (!/^\d+$/.test(value)) return { ok: false, message: `${flag} needs a whole number, got ${JSON.stringify(value)}` };
      const n = Number(value);
      if (n < min || n > max) return { ok: false, message: `${flag} must be between ${min} and ${max}, got ${value}` };
      opts[key] = n;
    } else {
      const key = STRING_OPTIONS[name];
      if (value.length === 0) return { ok: false, message: `${flag} needs a value` };
      if (key === 'backend') {
        if (value !== 'cpu' && value !== 'wasm') return { ok: false, message: `--backend must be cpu or wasm, got ${JSON.stringify(value)}` };
        opts.backend = value;
      } else if (key === 'sampleLabels') {
        if (!/^\d{1,3}(,\d{1,3})*$/.test(value)) return { ok: false, message: `${flag} needs digits separated by commas, e.g. 3 or 0,1,2; got ${JSON.stringify(value)}` };
        const list = value.split(',').map(Number);
        if (new Set(list).size !== list.length) return { ok: false, message: `${flag} names a digit twice: ${value}` };
        opts.sampleLabels = list;
      } else opts[key] = value;
    }
  }
  if (opts.evalSamples !== undefined && !opts.eval) return { ok: false, message: '--eval-samples needs --eval' };
  if (opts.preset !== undefined) {
    const { preset, ...rest } = opts;
    if (positional.length > 0) return { ok: false, message: `give a graph file or --preset, not both (got ${JSON.stringify(positional[0])} and --preset ${preset})` };
    if (!PRESET_IDS.includes(preset)) return { ok: false, message: `unknown preset ${JSON.stringify(preset)}; the presets are ${PRESET_IDS.join(', ')}` };
    return { ok: true, options: { ...rest, graph: join(PRESETS_DIR, `${preset}.json`), out: rest.out ?? join('out', preset) } };
  }
  if (positional.length === 0) return { ok: false, message: 'missing the graph file, e.g. npm run train -- presets/mnist-gan.json (see --help)' };
  if (positional.length > 1) return { ok: false, message: `expected one graph file, got ${positional.length}: ${positional.map((p) => JSON.stringify(p)).join(' ')}` };
  const graph = positional[0];
  const out = opts.out ?? join('out', basename(graph).replace(/\.json$/i, ''));
  return { ok: true, options: { ...opts, graph, out } };
}

/** Reads and validates a graph file; every problem (JSON, format, params, graph structure) as one line. */
export async function loadGraph(path: string): Promise<{ ok: true; doc: GraphDocument } | { ok: false; message: string }> {
  const read = await readGraph(path);
  return read.ok ? checkGraph(read.doc, path) : read;
}

/** Reads and decodes a graph file (format and parameters), without the graph analysis. */
export async function readGraph(path: string): Promise<{ ok: true; doc: GraphDocument } | { ok: false; message: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, message: `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}` };
  }
  const decoded = parseDocument(text);
  if (!decoded.ok) {
    return { ok: false, message: `${path}: ${decoded.errors.map((e) => `${e.path}: ${oneLine(engineMessage(e.code, e.args))}`).join('; ')}` };
  }
  return { ok: true, doc: decoded.doc };
}

/** The graph analysis alone (no tensors): the same check compileGan makes before it builds anything. */
export function checkGraph(doc: GraphDocument, path: string): { ok: true; doc: GraphDocument } | { ok: false; message: string } {
  const analysis = analyzeGraph(doc);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (!analysis.ok || !analysis.gan || errors.length > 0) {
    const problems = errors.map((d) => `${d.node ? `node "${d.node}": ` : ''}${oneLine(engineMessage(d.code, d.args))}`);
    return { ok: false, message: `${path}: ${problems.length > 0 ? problems.join('; ') : engineMessage('train.notCompilable')}` };
  }
  return { ok: true, doc };
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

/** An earlier run's directory (or an empty one) may be replaced; anything else at DIR is left alone. */
async function checkOutDir(out: string): Promise<string | undefined> {
  let s;
  try {
    s = await stat(out);
  } catch {
    return undefined;
  }
  if (!s.isDirectory()) return `--out ${out} exists and is not a directory`;
  const entries = await readdir(out);
  if (entries.length > 0 && !entries.includes('history.json')) return `--out ${out} exists and is not an earlier run's output; choose another directory`;
  return undefined;
}

export interface BackendChoice {
  backend: BackendName;
  kernelFixes: boolean;
  note?: string;
}

/** The wasm backend with Ganvas's kernel fixes, or cpu; `requested` wasm that fails is an error, a default falls back. */
export async function chooseNodeBackend(requested: BackendName | undefined): Promise<BackendChoice> {
  if (requested !== 'cpu') {
    try {
      // In Node, emscripten reads the .wasm beside the package's own bundle; no wasm paths needed.
      await selectBackend('wasm');
      return { backend: 'wasm', kernelFixes: true };
    } catch (e) {
      if (requested === 'wasm') throw new Error(`the wasm backend did not load: ${(e as Error).message}`);
      await selectBackend('cpu');
      return { backend: 'cpu', kernelFixes: false, note: `wasm did not load (${oneLine((e as Error).message)})` };
    }
  }
  await selectBackend('cpu');
  return { backend: 'cpu', kernelFixes: false };
}

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** Aborting stops training at the next iteration and leaves nothing at DIR (Ctrl+C). */
  signal?: AbortSignal;
}

export const consoleIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

export interface RunRecord {
  format: 'ganvas-run';
  version: 1;
  graph: { file: string; name: string };
  settings: TrainingSettings & { checkEvery: number };
  backend: BackendName;
  wasmKernelFixes: boolean;
  tfjs: string;
  data: string;
  /** Own data (--data DIR|ZIP|IDX other than MNIST): what was prepared, and the preparation report. */
  dataset?: DatasetMeta;
  startedAt: string;
  finishedAt: string;
  /** From the start of the command to the last file written. */
  wallTimeSeconds: number;
  /** Inside the training loop only (includes the checkpoint grids, not data loading, saving or --eval scoring). */
  trainingSeconds: number;
  msPerIteration: number;
  /** Per-batch stats at each sample_interval: the seed's log lines and charts; with --eval, the scores too. */
  history: { iteration: number; dLoss: number; acc: number; gLoss: number; scores?: Scores }[];
  /** Per-batch stats every checkEvery iterations. */
  fine: { iteration: number; dLoss: number; acc: number; gLoss: number }[];
  samples: string[];
  /** A conditional GAN's grids: each file's digits per cell (row-major) and columns. */
  grids?: { file: string; labels: number[]; cols: number }[];
  /** With --eval: how the checkpoints were scored, and real data's scores at the same N for comparison. */
  eval?: { samples: number; classifier: string; realData?: Scores; evaluations: number; msPerEvaluation: number };
}

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Runs the command; returns the exit code. Never throws for expected failures (they are printed as one line). */
export async function runCli(argv: readonly string[], io: CliIo = consoleIo): Promise<number> {
  const started = performance.now();
  const startedAt = new Date();
  // Prod mode silences tfjs's "install tfjs-node" banner: this runner is deliberately pure JS + wasm.
  tf.enableProdMode();
  const fail = (code: number, message: string) => {
    io.stderr(`train: ${message}`);
    return code;
  };

  const parsed = parseArgs(argv);
  if (!parsed.ok) return fail(EXIT.usage, parsed.message);
  if ('help' in parsed) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const o = parsed.options;
  const read = await readGraph(o.graph);
  if (!read.ok) return fail(EXIT.usage, read.message);
  let doc = read.doc;
  const out = resolve(o.out);
  const outProblem = await checkOutDir(out);
  if (outProblem) return fail(EXIT.usage, outProblem);
  if (o.data !== undefined && !existsSync(o.data)) return fail(EXIT.usage, `--data ${o.data}: no such file`);
  if (o.labels !== undefined && !existsSync(o.labels)) return fail(EXIT.usage, `--labels ${o.labels}: no such file`);
  if (o.labels !== undefined && o.data === undefined) return fail(EXIT.usage, '--labels needs --data IDX');
  const conditional = analyzeGraph(doc).gan?.generatorLabel !== undefined;
  const sampleLabels = o.sampleLabels ?? doc.training.sampleLabels;
  if (conditional && o.sampleLabels) {
    const classes = doc.nodes.find((n) => n.type === 'LabelInput')!.params.classes as number;
    const problem = checkSampleLabels(o.sampleLabels, classes);
    if (problem) return fail(EXIT.usage, `--sample-labels: ${engineMessage(problem.code, problem.args)}`);
  }

  const settings: TrainingSettings = {
    iterations: o.iterations ?? doc.training.iterations,
    sampleInterval: o.sampleInterval ?? doc.training.sampleInterval,
    batchSize: o.batchSize ?? doc.training.batchSize,
    seed: o.seed ?? doc.training.seed,
  };
  const checkEvery = Math.min(settings.sampleInterval, 100);

  // Own data is prepared before the graph check, to the image input's shape; the image input then names it, so the
  // check (and graph.json) see the dataset the run trains on.
  let dataset: PreparedDataset | undefined;
  if (o.data !== undefined && !(await isMnistTrainImages(o.data))) {
    try {
      dataset = await prepareHeadlessData(doc, o.data, o.labels, settings.batchSize);
    } catch (e) {
      if (e instanceof DataError) return fail(EXIT.failed, oneLine(engineMessage(e.code, e.args)));
      throw e;
    }
    if (dataset) {
      doc = withDataset(doc, dataset);
      for (const line of datasetSummary(dataset)) io.stdout(line);
    }
  } else if (o.labels !== undefined && !conditional) return fail(EXIT.usage, '--labels is for your own IDX data; MNIST needs none');
  const graph = checkGraph(doc, o.graph);
  if (!graph.ok) return fail(EXIT.usage, graph.message);

  let choice: BackendChoice;
  try {
    choice = await chooseNodeBackend(o.backend);
  } catch (e) {
    return fail(EXIT.failed, (e as Error).message);
  }
  io.stdout(`Backend: ${choice.backend}${choice.kernelFixes ? ' (with Ganvas kernel fixes)' : ''}${choice.note ? ` — ${choice.note}` : ''}`);

  let data: ImageSource;
  let dataPath: string;
  try {
    dataPath = o.data ?? installedMnistPath();
    data = dataset ?? (await loadMnistTrainImages(dataPath));
    // A conditional GAN on MNIST trains on each image's label (chapter 8), verified like the images: the installed
    // labels, or --labels beside MNIST's own --data file.
    if (conditional && !dataset) {
      const labelsPath = o.labels ?? installedMnistPath('train-labels-idx1-ubyte');
      data = withLabels(data, await loadMnistTrainLabels(labelsPath), labelsPath);
      dataPath = `${dataPath} + ${labelsPath}`;
    }
  } catch (e) {
    if (e instanceof MnistError) return fail(EXIT.failed, oneLine(engineMessage(e.code, e.args)));
    throw e;
  }
  if (io.signal?.aborted) return fail(EXIT.interrupted, 'interrupted; nothing written');

  let meter: QualityMeter | undefined;
  const evalSamples = o.evalSamples ?? DEFAULT_SAMPLES.headless;
  if (o.eval) {
    try {
      meter = await loadQualityMeter();
    } catch (e) {
      return fail(EXIT.failed, `the quality meter did not load: ${oneLine((e as Error).message)}`);
    }
  }
  const scores = new Map<number, Scores>();
  let evalMs = 0;

  const compiled = compileGan(doc, { seed: settings.seed });
  if (!compiled.ok) return fail(EXIT.usage, `${o.graph}: does not compile`);
  const gan = compiled.gan;
  const trainer = new GanTrainer(gan, data, settings.batchSize, settings.seed);
  const scale = o.pngScale ?? 4;
  const shape = sourceShape(data);

  // Everything goes into a hidden sibling of DIR and is renamed into place at the end, so DIR never holds half a run.
  const tmp = partialDir(out);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const samples: string[] = [];
  const grids: NonNullable<RunRecord['grids']> = [];
  const writes: Promise<void>[] = [];
  // What the run trained on, beside what it made: a grid of the prepared images (per class when labelled).
  if (dataset) writes.push(writeFile(join(tmp, 'data_preview.png'), datasetPreviewPng(dataset, scale)));
  let fault: TrainingFault | undefined;
  const run = new TrainingRun(
    trainer,
    { iterations: settings.iterations, sampleInterval: settings.sampleInterval, checkEvery, ...(sampleLabels ? { sampleLabels } : {}) },
    {
      checkpoint: async (stats, line) => {
        io.stdout(line);
        if (!meter) return;
        const t = performance.now();
        // Its own z stream per iteration: scoring never shifts the training draws.
        const s = await meter.scoreGenerator(gan.generator, { samples: evalSamples, seed: hashString(`eval:${settings.seed}:${stats.iteration}`) });
        evalMs += performance.now() - t;
        scores.set(stats.iteration, s);
        io.stdout(formatScoresLine(s, meter.realData(evalSamples)));
      },
      sample: (iteration, images, plan) => {
        const name = `samples_${iteration}.png`;
        samples.push(name);
        // PNG encoding and the write overlap with the next iterations; all are awaited before the rename.
        if (plan && shape[2] === 1) {
          // The book's captions over each cell; history.json lists each cell's digit too.
          const captions = plan.labels.map((l) => digitCaption(l, data.classNames));
          writes.push(writeFile(join(tmp, name), labelledGridToPng({ images, captions, cols: plan.cols, side: shape[0], scale })));
        } else writes.push(writeFile(join(tmp, name), imageGridToPng(images, images.length / data.size, shape, scale)));
        if (plan) grids.push({ file: name, labels: plan.labels, cols: plan.cols });
      },
      fault: (f) => void (fault = f),
    },
  );
  const onAbort = () => run.stop();
  io.signal?.addEventListener('abort', onAbort);
  if (io.signal?.aborted) run.stop();

  let code: number = EXIT.ok;
  try {
    const t0 = performance.now();
    const outcome = await run.run();
    // Scoring is timed on its own (record.eval.msPerEvaluation), not as training.
    const trainingSeconds = (performance.now() - t0 - evalMs) / 1000;
    await Promise.all(writes);
    if (outcome === 'stopped' || io.signal?.aborted) {
      code = fail(EXIT.interrupted, `interrupted at iteration ${trainer.iteration}; nothing written to ${o.out}`);
      return code;
    }
    if (outcome === 'fault') {
      code = fail(EXIT.failed, fault ? oneLine(engineMessage(fault.code, fault.args)) : 'training stopped on a fault');
      return code;
    }

    await saveModelToDirectory(gan.generator, join(tmp, 'generator'));
    await writeFile(join(tmp, 'loss.svg'), lossChartSvg(run.history));
    await writeFile(join(tmp, 'accuracy.svg'), accuracyChartSvg(run.history));
    await writeFile(join(tmp, 'graph.json'), serializeDocument(doc));
    const record: RunRecord = {
      format: 'ganvas-run',
      version: 1,
      graph: { file: o.graph, name: doc.name },
      settings: { ...settings, checkEvery },
      backend: choice.backend,
      wasmKernelFixes: choice.kernelFixes,
      tfjs: tf.version.tfjs,
      data: dataPath,
      ...(dataset ? { dataset: { ...dataset.meta, report: { ...dataset.meta.report, skipped: dataset.meta.report.skipped.slice(0, 100) } } } : {}),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      wallTimeSeconds: 0,
      trainingSeconds: round3(trainingSeconds),
      msPerIteration: round3((trainingSeconds * 1000) / Math.max(1, trainer.iteration)),
      history: run.history.map((h) => ({ ...h, ...(scores.has(h.iteration) ? { scores: scores.get(h.iteration) } : {}) })),
      fine: run.fine.map((h) => ({ ...h })),
      samples,
      ...(grids.length > 0 ? { grids } : {}),
      ...(meter
        ? { eval: { samples: evalSamples, classifier: 'models/mnist-classifier', realData: meter.realData(evalSamples), evaluations: scores.size, msPerEvaluation: round3(evalMs / Math.max(1, scores.size)) } }
        : {}),
    };
    record.wallTimeSeconds = round3((performance.now() - started) / 1000);
    await writeFile(join(tmp, 'history.json'), JSON.stringify(record, null, 2) + '\n');
    if (io.signal?.aborted) {
      code = fail(EXIT.interrupted, `interrupted while saving; nothing written to ${o.out}`);
      return code;
    }
    await moveIntoPlace(tmp, out);
    io.stdout(
      `Done: ${trainer.iteration} iterations in ${record.wallTimeSeconds.toFixed(1)} s (${record.msPerIteration.toFixed(2)} ms/iteration) on ${choice.backend} → ${o.out}`,
    );
    return code;
  } catch (e) {
    code = fail(EXIT.failed, oneLine(e instanceof Error ? e.message : String(e)));
    return code;
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
    await Promise.allSettled(writes);
    if (code !== EXIT.ok) await rm(tmp, { recursive: true, force: true });
    run.dispose();
    trainer.dispose();
    gan.dispose();
    meter?.dispose();
  }
}

/** The hidden sibling of DIR that a run in this process writes into. */
export const partialDir = (out: string): string => join(dirname(resolve(out)), `.${basename(out)}.partial-${process.pid}`);

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Swaps the finished temp directory in for DIR; an earlier run at DIR is removed only after the new one is there. */
async function moveIntoPlace(tmp: string, out: string): Promise<void> {
  if (!existsSync(out)) {
    await rename(tmp, out);
    return;
  }
  const old = join(dirname(out), `.${basename(out)}.old-${process.pid}`);
  await rename(out, old);
  await rename(tmp, out);
  await rm(old, { recursive: true, force: true });
}
