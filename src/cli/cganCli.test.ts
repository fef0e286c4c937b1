// The headless runner on a conditional graph: verified labels, labelled grids (PNG captions and history.json), the
// digits asked for, and a two-input generator saved as a tfjs LayersModel.
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from './cli';
import { loadModelFromDirectory } from './modelFiles';
import { labelledGridLayout, labelledGridToPng } from './labelledPng';
import { denseCganDocument } from '../testing/cganFixtures';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = join(root, '../shared/data/mnist');
const dir = mkdtempSync(join(tmpdir(), 'ganvas-cgan-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = { stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
  return { cli, out, err };
};
const data = existsSync(join(shared, 'train-labels-idx1-ubyte.gz'))
  ? ['--data', join(shared, 'train-images-idx3-ubyte.gz'), '--labels', join(shared, 'train-labels-idx1-ubyte.gz')]
  : [];

describe('npm run train on a conditional GAN', () => {
  it('writes grids captioned with the digits asked for, and a generator that takes (z, label)', async () => {
    const graph = join(dir, 'cgan.json');
    writeFileSync(graph, JSON.stringify(denseCganDocument()));
    const out = join(dir, 'out');
    const { cli, out: lines, err } = io();
    const code = await runCli([graph, '--backend', 'cpu', '--iterations', '4', '--sample-interval', '2', '--batch-size', '8', '--sample-labels', '3', '--png-scale', '2', '--out', out, ...data], cli);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(lines.filter((l) => /^\d+ \[D loss/.test(l))).toHaveLength(2);
    const record = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    expect(record.grids).toEqual([
      { file: 'samples_2.png', labels: Array(10).fill(3), cols: 5 },
      { file: 'samples_4.png', labels: Array(10).fill(3), cols: 5 },
    ]);
    expect(record.data).toContain('train-labels-idx1-ubyte');
    const png = PNG.sync.read(readFileSync(join(out, 'samples_4.png')));
    const layout = labelledGridLayout(10, 5, 28, 2);
    expect([png.width, png.height]).toEqual([layout.width, layout.height]);
    const generator = await loadModelFromDirectory(join(out, 'generator'));
    expect(generator.inputs.map((x) => x.shape)).toEqual([[null, 100], [null, 1]]);
    const y = tf.tidy(() => (generator.predict([tf.zeros([2, 100]), tf.tensor2d([[3], [7]], [2, 1], 'int32')]) as tf.Tensor).shape);
    expect(y).toEqual([2, 28, 28, 1]);
    generator.dispose();
  }, 120_000);

  it('refuses digits the labels do not have, before training', async () => {
    const graph = join(dir, 'cgan2.json');
    writeFileSync(graph, JSON.stringify(denseCganDocument()));
    const { cli, err } = io();
    expect(await runCli([graph, '--backend', 'cpu', '--sample-labels', '3,12', '--out', join(dir, 'never')], cli)).toBe(2);
    expect(err).toEqual(['train: --sample-labels: The sample grid asks for label 12, but the labels go from 0 to 9.']);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});

describe('labelledGridToPng', () => {
  it('draws each caption in black above its cell and the images below', () => {
    const images = new Float32Array(2 * 28 * 28).fill(1);
    const png = PNG.sync.read(Buffer.from(labelledGridToPng({ images, captions: ['Digit: 0', 'Digit: 1'], cols: 2, side: 28, scale: 2 })));
    const { band } = labelledGridLayout(2, 2, 28, 2);
    const gray = (x: number, y: number) => png.data[(y * png.width + x) * 4];
    let dark = 0;
    for (let y = 2; y < 2 + band; y++) for (let x = 0; x < png.width; x++) if (gray(x, y) === 0) dark++;
    expect(dark).toBeGreaterThan(40);
    // White images under the captions.
    expect(gray(10, 2 + band + 5)).toBe(255);
  });
});
