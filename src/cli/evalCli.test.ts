import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvalArgs, runEvalCli, type EvalReport } from './evalCli';
import { saveModelToDirectory } from './modelFiles';
import type { CliIo } from './cli';

const work = mkdtempSync(join(tmpdir(), 'ganvas-eval-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => void out.push(l), stderr: (l) => void err.push(l) };
}

/**
 * A generator as another program would save it: not built by Ganvas, a flat 784-value output, and its weights split
 * over two shards with the tensorflowjs converter's file names.
 */
async function foreignGenerator(dir: string): Promise<string> {
  await tf.setBackend('cpu');
  const g = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [16], units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }), tf.layers.dense({ units: 784, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) })],
  });
  const tmp = join(work, 'ganvas-saved');
  await saveModelToDirectory(g, tmp);
  g.dispose();
  const json = JSON.parse(readFileSync(join(tmp, 'model.json'), 'utf8'));
  const bin = readFileSync(join(tmp, 'weights.bin'));
  const half = Math.floor(bin.length / 8) * 4;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'group1-shard1of2.bin'), bin.subarray(0, half));
  writeFileSync(join(dir, 'group1-shard2of2.bin'), bin.subarray(half));
  json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
  json.generatedBy = 'another program';
  writeFileSync(join(dir, 'generator.json'), JSON.stringify(json));
  return join(dir, 'generator.json');
}

describe('parseEvalArgs', () => {
  it('reads the model and the options, with the headless defaults', () => {
    expect(parseEvalArgs(['m.json'])).toEqual({ ok: true, options: { model: 'm.json', samples: 10000, seed: 0, backend: undefined, json: false } });
    expect(parseEvalArgs(['m.json', '--samples', '500', '--seed=3', '--json', '--backend', 'cpu'])).toEqual({ ok: true, options: { model: 'm.json', samples: 500, seed: 3, backend: 'cpu', json: true } });
    expect(parseEvalArgs(['-h'])).toEqual({ ok: true, help: true });
  });

  it('refuses bad arguments with one-line messages', () => {
    const message = (argv: string[]) => {
      const r = parseEvalArgs(argv);
      return r.ok ? '' : r.message;
    };
    expect(message([])).toMatch(/^missing the model/);
    expect(message(['a.json', 'b.json'])).toBe('expected one model file, got 2');
    expect(message(['m.json', '--samples', '50'])).toBe('--samples must be between 100 and 60000, got 50');
    expect(message(['m.json', '--samples', 'many'])).toBe('--samples needs a whole number, got "many"');
    expect(message(['m.json', '--backend', 'webgl'])).toBe('--backend must be cpu or wasm, got "webgl"');
    expect(message(['m.json', '--sample', '5'])).toMatch(/Unknown option '--sample'.*\(see --help\)$/);
    for (const argv of [[], ['m.json', '--samples', '1']]) expect(message(argv)).not.toContain('\n');
  });
});

describe('runEvalCli', () => {
  let model: string;
  beforeAll(async () => {
    model = await foreignGenerator(join(work, 'foreign'));
  });

  it('scores another program\'s generator as JSON with self-explaining keys', async () => {
    const io = capture();
    expect(await runEvalCli([model, '--samples', '200', '--json', '--backend', 'cpu'], io)).toBe(0);
    expect(io.err).toEqual([]);
    const report = JSON.parse(io.out.join('\n')) as EvalReport;
    expect(report).toMatchObject({ model, zSize: 16, samples: 200, seed: 0, backend: 'cpu', realData: null });
    expect(report.frechetDistance).toBeGreaterThan(0);
    expect(report.inceptionScore).toBeGreaterThanOrEqual(1);
    expect(report.inceptionScore).toBeLessThanOrEqual(10);
    expect(report.digitShares).toHaveLength(10);
    expect(report.digitShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(report.digitsCovered).toBe(report.digitShares.filter((s) => s >= 0.02).length);
    // Seeded: the same command gives the same numbers.
    const again = capture();
    await runEvalCli([model, '--samples', '200', '--json', '--backend', 'cpu'], again);
    expect((JSON.parse(again.out.join('\n')) as EvalReport).frechetDistance).toBe(report.frechetDistance);
  });

  it('prints a table beside real data at a shipped N', async () => {
    const io = capture();
    // wasm: 2,000 samples through the classifier's convolutions are slow on cpu.
    expect(await runEvalCli([model, '--samples', '2000', '--backend', 'wasm'], io)).toBe(0);
    const text = io.out.join('\n');
    expect(io.out[0]).toMatch(/generator\.json: z 16 → 784; 2000 samples \(seed 0\) on wasm in [\d.]+ s$/);
    expect(text).toMatch(/^\s+generator\s+real data$/m);
    expect(text).toMatch(/^Fréchet distance \(lower is better\)\s+[\d.]+\s+[\d.]+$/m);
    expect(text).toMatch(/^Inception Score \(1-10\)\s+[\d.]+\s+9\.\d+$/m);
    expect(text).toMatch(/^Digits covered \(share >= 2%\)\s+\d+\s+10$/m);
    expect(text).toMatch(/^Digit shares: 0: [\d.]+%  1: /m);
  });

  it('refuses a missing file and a model that is not a generator, exit 1, one line', async () => {
    const missing = capture();
    expect(await runEvalCli([join(work, 'nope', 'model.json'), '--backend', 'cpu'], missing)).toBe(1);
    expect(missing.err).toEqual([expect.stringMatching(/^eval: .*nope\/model\.json: no such file/)]);
    const d = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 1, activation: 'sigmoid' })] });
    const dir = join(work, 'discriminator');
    await saveModelToDirectory(d, dir);
    d.dispose();
    const wrong = capture();
    expect(await runEvalCli([join(dir, 'model.json'), '--backend', 'cpu'], wrong)).toBe(1);
    expect(wrong.err).toEqual([expect.stringMatching(/^eval: .*model\.json: the digit classifier scores 28×28×1 \(or 784-value\) images; this generator makes \?×1$/)]);
    const usage = capture();
    expect(await runEvalCli([], usage)).toBe(2);
  });
});
