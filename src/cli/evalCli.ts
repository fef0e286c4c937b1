// `npm run eval -- MODEL.json [options]`: scores a saved tfjs generator with the quality meter. Any LayersModel
// generator works, Ganvas's or another program's: one input z (batch × z size), one output of 28×28×1 or 784 values in
// [-1, 1]. Prints a table beside real data's scores at the same N, or JSON with self-explaining keys. Node only.
import * as tf from '@tensorflow/tfjs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chooseNodeBackend, type BackendName, type CliIo } from './cli';
import { loadQualityMeter } from './classifierFiles';
import { directoryLoadHandler } from './modelFiles';
import { checkGenerator, DEFAULT_SAMPLES, EVAL_SAMPLES_RANGE } from '../eval/meter';
import { formatScoresTable } from '../eval/format';
import type { Scores } from '../eval/scores';

export const EVAL_USAGE = `Usage: npm run eval -- MODEL.json [options]

Scores a tfjs generator (e.g. out/mnist-gan/generator/model.json from npm run train) with Ganvas's digit classifier:
the Fréchet distance of its features to the MNIST test set's, the Inception Score, the digits covered (share >= 2%)
and the mean confidence, beside real MNIST images scored the same way. The model must take z (batch x z size) and
draw 28x28x1 (or 784-value) images in [-1, 1].

Options:
  --samples N           generated images to score (default ${DEFAULT_SAMPLES.headless}; real-data scores are shipped for 2000 and 10000)
  --seed S              seed for z (default 0)
  --backend cpu|wasm    tfjs backend (default: wasm if it loads, else cpu)
  --json                print JSON instead of a table
  -h, --help            show this help

Exit codes: 0 scored, 1 the model or the meter did not load, 2 bad arguments.`;

export interface EvalOptions {
  model: string;
  samples: number;
  seed: number;
  backend?: BackendName;
  json: boolean;
}

export type EvalParse = { ok: true; options: EvalOptions } | { ok: true; help: true } | { ok: false; message: string };

export function parseEvalArgs(argv: readonly string[]): EvalParse {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        samples: { type: 'string' },
        seed: { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    return { ok: false, message: `${(e as Error).message.split('\n')[0]} (see --help)` };
  }
  const v = parsed.values;
  if (v.help) return { ok: true, help: true };
  const int = (name: string, text: string | undefined, fallback: number, min: number, max: number): number | string => {
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text)) return `--${name} needs a whole number, got ${JSON.stringify(text)}`;
    const n = Number(text);
    return n < min || n > max ? `--${name} must be between ${min} and ${max}, got ${text}` : n;
  };
  const samples = int('samples', v.samples, DEFAULT_SAMPLES.headless, EVAL_SAMPLES_RANGE.min, EVAL_SAMPLES_RANGE.max);
  if (typeof samples === 'string') return { ok: false, message: samples };
  const seed = int('seed', v.seed, 0, 0, 2 ** 31 - 1);
  if (typeof seed === 'string') return { ok: false, message: seed };
  if (v.backend !== undefined && v.backend !== 'cpu' && v.backend !== 'wasm') return { ok: false, message: `--backend must be cpu or wasm, got ${JSON.stringify(v.backend)}` };
  if (parsed.positionals.length !== 1) {
    return { ok: false, message: parsed.positionals.length === 0 ? 'missing the model, e.g. npm run eval -- out/mnist-gan/generator/model.json (see --help)' : `expected one model file, got ${parsed.positionals.length}` };
  }
  return { ok: true, options: { model: parsed.positionals[0], samples, seed, backend: v.backend as BackendName | undefined, json: v.json } };
}

/** What --json prints. */
export interface EvalReport {
  model: string;
  zSize: number;
  samples: number;
  seed: number;
  backend: BackendName;
  seconds: number;
  frechetDistance: number;
  inceptionScore: number;
  digitsCovered: number;
  /** Share of samples per digit 0–9. */
  digitShares: number[];
  meanConfidence: number;
  /** Real MNIST training images scored the same way at the same N (absent for other N). */
  realData: Scores | null;
}

export async function runEvalCli(argv: readonly string[], io: CliIo): Promise<number> {
  tf.enableProdMode();
  const fail = (code: number, message: string) => {
    io.stderr(`eval: ${message}`);
    return code;
  };
  const parsed = parseEvalArgs(argv);
  if (!parsed.ok) return fail(2, parsed.message);
  if ('help' in parsed) {
    io.stdout(EVAL_USAGE);
    return 0;
  }
  const o = parsed.options;
  let backend: BackendName;
  try {
    backend = (await chooseNodeBackend(o.backend)).backend;
  } catch (e) {
    return fail(1, (e as Error).message);
  }
  const path = resolve(o.model);
  let generator: tf.LayersModel;
  try {
    generator = await tf.loadLayersModel(directoryLoadHandler(dirname(path), basename(path)));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return fail(1, `${o.model}: ${err.code === 'ENOENT' ? `no such file (${err.path ?? path})` : oneLine(err.message)}`);
  }
  try {
    let zSize: number;
    try {
      zSize = checkGenerator(generator).zSize;
    } catch (e) {
      return fail(1, `${o.model}: ${(e as Error).message}`);
    }
    let meter;
    try {
      meter = await loadQualityMeter();
    } catch (e) {
      return fail(1, `the quality meter did not load: ${oneLine((e as Error).message)}`);
    }
    try {
      const t0 = performance.now();
      const s = await meter.scoreGenerator(generator, { samples: o.samples, seed: o.seed });
      const seconds = (performance.now() - t0) / 1000;
      const realData = meter.realData(o.samples) ?? null;
      if (o.json) {
        const report: EvalReport = { model: o.model, zSize, samples: o.samples, seed: o.seed, backend, seconds: Math.round(seconds * 1000) / 1000, frechetDistance: s.frechetDistance, inceptionScore: s.inceptionScore, digitsCovered: s.digitsCovered, digitShares: s.digitShares, meanConfidence: s.meanConfidence, realData };
        io.stdout(JSON.stringify(report, null, 2));
      } else {
        io.stdout(`${o.model}: z ${zSize} → ${generator.outputs[0].shape.slice(1).join('×')}; ${o.samples} samples (seed ${o.seed}) on ${backend} in ${seconds.toFixed(1)} s`);
        if (!realData) io.stdout(`(real-data scores are shipped for N = ${DEFAULT_SAMPLES.browser} and ${DEFAULT_SAMPLES.headless} only)`);
        io.stdout('');
        io.stdout(formatScoresTable(s, realData ?? undefined));
      }
      return 0;
    } finally {
      meter.dispose();
    }
  } finally {
    generator.dispose();
  }
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');
