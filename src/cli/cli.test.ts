import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGraph, parseArgs, runCli, type CliIo } from './cli';
import { directoryLoadHandler } from './modelFiles';
import { gridLayout } from './png';

const root = fileURLToPath(new URL('../../', import.meta.url));
const preset = `${root}presets/mnist-gan.json`;
// CI lays out ../shared beside the clone; elsewhere the installed package is used (no --data).
const shared = `${root}../shared/data/mnist/train-images-idx3-ubyte.gz`;
const dataArgs = existsSync(shared) ? ['--data', shared] : [];
const LOG_LINE = /^\d+ \[D loss: \d+\.\d{6}, acc\.: \d+\.\d{2}%\] \[G loss: \d+\.\d{6}\]$/;

const work = mkdtempSync(join(tmpdir(), 'ganvas-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function capture(signal?: AbortSignal): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => void out.push(l), stderr: (l) => void err.push(l), signal };
}

function expectError(argv: string[], pattern: RegExp) {
  const r = parseArgs(argv);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.message).toMatch(pattern);
  expect(r.message).not.toContain('\n');
}

describe('parseArgs', () => {
  it('reads the graph file and every option, in both --flag value and --flag=value forms', () => {
    const r = parseArgs(['g.json', '--iterations', '20', '--sample-interval=10', '--out', 'o', '--backend', 'cpu', '--seed', '0', '--batch-size', '64', '--data', 'd.gz']);
    expect(r).toEqual({
      ok: true,
      options: { graph: 'g.json', iterations: 20, sampleInterval: 10, out: 'o', backend: 'cpu', seed: 0, batchSize: 64, data: 'd.gz' },
    });
  });

  it('defaults --out to out/<graph name> and leaves the rest to the document', () => {
    expect(parseArgs(['presets/mnist-gan.json'])).toEqual({ ok: true, options: { graph: 'presets/mnist-gan.json', out: 'out/mnist-gan' } });
    expect(parseArgs(['--help'])).toEqual({ ok: true, help: true });
  });

  it('--preset ID trains a bundled preset, with out/<ID> as the default output', async () => {
    const r = parseArgs(['--preset', 'dcgan-mnist', '--iterations', '3']);
    expect(r).toEqual({ ok: true, options: { graph: `${root}presets/dcgan-mnist.json`, iterations: 3, out: 'out/dcgan-mnist' } });
    const loaded = r.ok && 'options' in r ? await loadGraph(r.options.graph) : undefined;
    expect(loaded?.ok && loaded.doc.name).toBe('DCGAN on MNIST (GANs in Action, ch. 4)');
    expectError(['--preset', 'dcgan'], /unknown preset "dcgan"; the presets are mnist-gan, dcgan-mnist, dcgan-small-mnist/);
    expectError(['g.json', '--preset', 'dcgan-mnist'], /give a graph file or --preset, not both/);
  });

  it('refuses bad arguments, each with a one-line message', () => {
    expectError(['g.json', '--iteration', '5'], /unknown option "--iteration"/);
    expectError(['g.json', '--iterations', '1.5'], /--iterations needs a whole number, got "1.5"/);
    expectError(['g.json', '--iterations', 'ten'], /--iterations needs a whole number/);
    expectError(['g.json', '--iterations', '-3'], /--iterations needs a value|whole number/);
    expectError(['g.json', '--iterations', '0'], /--iterations must be between 1 and/);
    expectError(['g.json', '--batch-size', '5000'], /--batch-size must be between 1 and 4096/);
    expectError(['g.json', '--backend', 'webgl'], /--backend must be cpu or wasm/);
    expectError(['g.json', '--out'], /--out needs a value/);
    expectError(['g.json', '--out', '--seed', '1'], /--out needs a value/);
    expectError(['g.json', '--seed', '1', '--seed', '2'], /--seed is given twice/);
    expectError([], /missing the graph file/);
    expectError(['a.json', 'b.json'], /expected one graph file, got 2/);
    expectError(['g.json', '--eval=yes'], /--eval takes no value/);
    expectError(['g.json', '--eval-samples', '500'], /--eval-samples needs --eval/);
    expectError(['g.json', '--eval', '--eval-samples', '10'], /--eval-samples must be between 100 and 60000/);
  });

  it('reads --eval and --eval-samples', () => {
    expect(parseArgs(['g.json', '--eval'])).toEqual({ ok: true, options: { graph: 'g.json', out: 'out/g', eval: true } });
    expect(parseArgs(['g.json', '--eval-samples', '500', '--eval'])).toEqual({ ok: true, options: { graph: 'g.json', out: 'out/g', eval: true, evalSamples: 500 } });
  });
});

describe('runCli refuses bad input with exit code 2 and writes nothing', () => {
  const refuse = async (graphText: string | undefined, extra: string[] = []) => {
    const out = join(work, `refused-${Math.random().toString(36).slice(2)}`);
    let graph = join(work, 'missing.json');
    if (graphText !== undefined) {
      graph = join(work, `g-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(graph, graphText);
    }
    const io = capture();
    const code = await runCli([graph, '--out', out, '--backend', 'cpu', ...extra], io);
    expect(code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).not.toContain('\n');
    expect(io.out).toEqual([]);
    return io.err[0];
  };
  const presetJson = () => JSON.parse(readFileSync(preset, 'utf8'));

  it('a missing file', async () => {
    expect(await refuse(undefined)).toMatch(/^train: .*missing\.json: no such file$/);
  });

  it('bad arguments', async () => {
    expect(await refuse('{}', ['--iterations', 'x'])).toBe('train: --iterations needs a whole number, got "x"');
  });

  it('a JSON syntax error', async () => {
    expect(await refuse('{"format": ')).toMatch(/: \(file\): The file is not valid JSON: /);
  });

  it('invalid parameters, naming the node and the field', async () => {
    const doc = presetJson();
    doc.nodes.find((n: { id: string }) => n.id === 'g_dense1').params.units = 0;
    expect(await refuse(JSON.stringify(doc))).toMatch(/nodes\[1\] "g_dense1"\.params\.units: units must be between 1 and \d+\./);
  });

  it('a graph that does not make a GAN, naming the node', async () => {
    const doc = presetJson();
    doc.edges = doc.edges.filter((e: { to: { node: string } }) => e.to.node !== 'g_loss');
    const msg = await refuse(JSON.stringify(doc));
    expect(msg).toMatch(/needs a binary cross-entropy loss to train G/);
  });

  it('an --out that is some other directory', async () => {
    const foreign = join(work, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    const io = capture();
    expect(await runCli([preset, '--out', foreign, '--backend', 'cpu'], io)).toBe(2);
    expect(io.err[0]).toMatch(/is not an earlier run's output/);
    expect(readdirSync(foreign)).toEqual(['notes.txt']);
  });
});

describe('runCli end to end on cpu', () => {
  it('trains 20 iterations and writes samples, history, charts and a loadable generator', async () => {
    const out = join(work, 'run');
    const io = capture();
    // A smaller batch than the preset's 128 keeps this quick on the slow cpu backend; the loop is the same.
    const code = await runCli([preset, '--iterations', '20', '--sample-interval', '10', '--out', out, '--backend', 'cpu', '--batch-size', '32', ...dataArgs], io);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    expect(io.out[0]).toBe('Backend: cpu');
    expect(io.out.slice(1, 3)).toHaveLength(2);
    for (const line of io.out.slice(1, 3)) expect(line).toMatch(LOG_LINE);
    expect(io.out[1]).toMatch(/^10 /);
    expect(io.out[2]).toMatch(/^20 /);
    expect(io.out[3]).toMatch(/^Done: 20 iterations in [\d.]+ s/);

    expect(readdirSync(out).sort()).toEqual(['accuracy.svg', 'generator', 'graph.json', 'history.json', 'loss.svg', 'samples_10.png', 'samples_20.png']);
    // Nothing left beside DIR.
    expect(readdirSync(work).filter((n) => n.includes('partial'))).toEqual([]);

    const png = PNG.sync.read(readFileSync(join(out, 'samples_20.png')));
    const layout = gridLayout(16, 28, 4);
    expect([png.width, png.height]).toEqual([layout.width, layout.height]);

    const record = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    expect(record.history).toHaveLength(2);
    expect(record.history.map((h: { iteration: number }) => h.iteration)).toEqual([10, 20]);
    expect(record).toMatchObject({ backend: 'cpu', settings: { iterations: 20, sampleInterval: 10, batchSize: 32, seed: 42, checkEvery: 10 } });
    expect(record.wallTimeSeconds).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'loss.svg'), 'utf8')).toContain('Training Loss');
    expect(readFileSync(join(out, 'accuracy.svg'), 'utf8')).toContain('Discriminator Accuracy');

    await tf.setBackend('cpu');
    const z = tf.randomNormal([3, 100], 0, 1, 'float32', 5);
    const fromFiles = await tf.loadLayersModel(directoryLoadHandler(join(out, 'generator')));
    expect(fromFiles.outputs[0].shape).toEqual([null, 28, 28, 1]);
    // The way a web page loads it: model.json over HTTP, weights resolved relative to it.
    const server = createServer((req, res) => {
      const path = join(out, 'generator', decodeURIComponent(new URL(req.url!, 'http://x').pathname));
      if (!existsSync(path)) return void res.writeHead(404).end();
      res.writeHead(200).end(readFileSync(path));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const overHttp = await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`);
      const a = (fromFiles.predict(z) as tf.Tensor).dataSync();
      const b = (overHttp.predict(z) as tf.Tensor).dataSync();
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(a.every((v) => v >= -1 && v <= 1)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('--eval scores every checkpoint: printed after its log line, stored beside its stats in history.json', async () => {
    const out = join(work, 'eval');
    const io = capture();
    const code = await runCli([preset, '--iterations', '20', '--sample-interval', '10', '--out', out, '--backend', 'cpu', '--batch-size', '16', '--eval', '--eval-samples', '200', ...dataArgs], io);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    const QUALITY = /^  quality: Fréchet \d+\.\d{2} · IS \d+\.\d{2} · \d+\/10 digits · confidence \d+\.\d%$/;
    expect(io.out[1]).toMatch(/^10 /);
    expect(io.out[2]).toMatch(QUALITY);
    expect(io.out[3]).toMatch(/^20 /);
    expect(io.out[4]).toMatch(QUALITY);
    const record = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    expect(record.eval).toMatchObject({ samples: 200, classifier: 'models/mnist-classifier', evaluations: 2 });
    expect(record.eval.msPerEvaluation).toBeGreaterThan(0);
    for (const h of record.history) {
      expect(Object.keys(h.scores).sort()).toEqual(['digitShares', 'digitsCovered', 'frechetDistance', 'inceptionScore', 'meanConfidence', 'samples']);
      expect(h.scores.samples).toBe(200);
      expect(io.out).toContain(`  quality: Fréchet ${h.scores.frechetDistance.toFixed(2)} · IS ${h.scores.inceptionScore.toFixed(2)} · ${h.scores.digitsCovered}/10 digits · confidence ${(100 * h.scores.meanConfidence).toFixed(1)}%`);
    }
    // Twenty iterations in, G draws noise: far from the test set.
    expect(record.history[1].scores.frechetDistance).toBeGreaterThan(5);
  });

  it('picks the wasm backend by default in Node, with the kernel fixes', async () => {
    const out = join(work, 'wasm');
    const io = capture();
    const code = await runCli([preset, '--iterations', '4', '--sample-interval', '2', '--out', out, '--batch-size', '16', ...dataArgs], io);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    expect(io.out[0]).toBe('Backend: wasm (with Ganvas kernel fixes)');
    expect(io.out.slice(1, 3).every((l) => LOG_LINE.test(l))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'))).toMatchObject({ backend: 'wasm', wasmKernelFixes: true });
    // Running again onto an earlier run's directory replaces it whole.
    expect(await runCli([preset, '--iterations', '2', '--sample-interval', '2', '--out', out, '--batch-size', '16', '--backend', 'cpu', ...dataArgs], capture())).toBe(0);
    expect(readdirSync(out).filter((n) => n.startsWith('samples_'))).toEqual(['samples_2.png']);
  });

  it('an interrupted run leaves nothing at DIR and exits 130', async () => {
    const out = join(work, 'interrupted');
    const controller = new AbortController();
    const io = capture(controller.signal);
    const stdout = io.stdout;
    io.stdout = (line) => {
      stdout(line);
      if (/^10 /.test(line)) controller.abort();
    };
    const code = await runCli([preset, '--iterations', '40', '--sample-interval', '10', '--out', out, '--backend', 'cpu', '--batch-size', '16', ...dataArgs], io);
    expect(code).toBe(130);
    expect(io.err).toEqual(['train: interrupted at iteration 10; nothing written to ' + out]);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((n) => n.includes('partial'))).toEqual([]);
  });
});
