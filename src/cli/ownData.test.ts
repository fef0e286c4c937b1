// `npm run train -- GRAPH --data DIR|ZIP|IDX` on datasets the test makes: each trains 50 iterations on wasm, writes a
// preview of what it trained on and sample PNGs of the dataset's shape (colour for ×3); bad data exits 1 and writes
// nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from './cli';
import { gridLayout } from './png';
import { gzipSync, shapeFiles, shapeIdxPair, writeTree, zipOf } from '../testing/datasets';

const root = fileURLToPath(new URL('../../', import.meta.url));
const LOG_LINE = /^\d+ \[D loss: \d+\.\d{6}, acc\.: \d+\.\d{2}%\] \[G loss: \d+\.\d{6}\]$/;
const work = mkdtempSync(join(tmpdir(), 'ganvas-own-data-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => void out.push(l), stderr: (l) => void err.push(l) };
}

/** The MNIST preset, or its colour twin: G ends in Dense h·w·3 + Reshape, D reads h×w×3. */
function graph(name: string, shape: [number, number, number], dataset = 'mnist'): string {
  const doc = JSON.parse(readFileSync(`${root}presets/mnist-gan.json`, 'utf8'));
  for (const n of doc.nodes) {
    if (n.id === 'g_dense2') n.params.units = shape[0] * shape[1] * shape[2];
    if (n.id === 'g_reshape') n.params.targetShape = shape;
    if (n.id === 'd_image') n.params = { dataset, shape };
  }
  const path = join(work, `${name}.json`);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

const folder = join(work, 'shapes');
beforeAll(() => {
  const files = shapeFiles({ perClass: 250, oddSizeEvery: 50 });
  writeTree(folder, { ...files, 'notes.txt': 'not an image', 'circle/broken.png': 'damaged' });
  writeFileSync(join(work, 'shapes.zip'), zipOf('shapes', files));
  const pair = shapeIdxPair(1000);
  writeFileSync(join(work, 'shapes-images-idx3-ubyte.gz'), gzipSync(pair.images));
  writeFileSync(join(work, 'shapes-labels-idx1-ubyte.gz'), gzipSync(pair.labels));
});

// wasm (with Ganvas's kernels): on the cpu backend these 50-iteration runs take ~15 s each on a busy 2-core machine.
async function train(graphPath: string, data: string, out: string, batch = 16) {
  const io = capture();
  const code = await runCli([graphPath, '--data', data, '--iterations', '50', '--sample-interval', '25', '--batch-size', String(batch), '--backend', 'wasm', '--png-scale', '2', '--out', out], io);
  return { code, io };
}

describe('a graph that names a dataset this runner has not got', () => {
  it('says so (exit 2) unless --data gives the images', async () => {
    const io = capture();
    const code = await runCli([graph('named', [28, 28, 1], 'user:letters'), '--backend', 'cpu', '--out', join(work, 'named-out')], io);
    expect(code).toBe(2);
    expect(io.err[0]).toMatch(/node "d_image": The dataset "letters" is not loaded here\. Load it again, or pick MNIST\./);
  });
});

describe('--data trains 50 iterations on each source', () => {
  it.each([
    ['a folder', () => folder, 'folder shapes/ (1002 files)'],
    ['a zip', () => join(work, 'shapes.zip'), 'shapes.zip'],
    ['an IDX pair (gzip)', () => join(work, 'shapes-images-idx3-ubyte.gz'), 'shapes-images-idx3-ubyte.gz + shapes-labels-idx1-ubyte.gz'],
  ])('%s as 28×28×1 through the Dense preset', async (_label, path, source) => {
    const out = join(work, `run-${source.replace(/\W+/g, '-')}`);
    const { code, io } = await train(graph('gray', [28, 28, 1]), path(), out);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    expect(io.out[0]).toMatch(new RegExp(`^Data: 1000 images from ${source.replace(/[.()+]/g, '\\$&')}, prepared to 28×28×1 in [\\d.]+ s`));
    expect(io.out[1]).toMatch(/^ {2}labels \(4, from (folder names|the labels file)\): (circle|0) 250, (cross|1) 250, (square|2) 250, (triangle|3) 250$/);
    expect(io.out.filter((l) => LOG_LINE.test(l))).toHaveLength(2);
    expect(io.out.at(-1)).toMatch(/^Done: 50 iterations/);
    expect(readdirSync(out)).toContain('data_preview.png');
    const record = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    expect(record.dataset).toMatchObject({ count: 1000, shape: [28, 28, 1], labelCounts: [250, 250, 250, 250] });
    const doc = JSON.parse(readFileSync(join(out, 'graph.json'), 'utf8'));
    expect(doc.nodes.find((n: { id: string }) => n.id === 'd_image').params.dataset).toMatch(/^user:shapes/);
    const sample = PNG.sync.read(readFileSync(join(out, 'samples_50.png')));
    const layout = gridLayout(16, 28, 2);
    expect([sample.width, sample.height]).toEqual([layout.width, layout.height]);
  });

  it('a folder of colour images as 32×32×3: colour preview and colour sample PNGs', async () => {
    const out = join(work, 'colour');
    const { code, io } = await train(graph('colour', [32, 32, 3]), folder, out);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    expect(io.out).toContain('  Resized: 20 of 1000 images were not 32×32 (sizes seen: 32×32 ×980, 45×37 ×20).');
    expect(io.out).toContain('  Skipped, not images: 1 (e.g. shapes/notes.txt).');
    expect(io.out).toContain('  shapes/circle/broken.png: named like a PNG image, but its content is not an image; skipped.');
    expect(io.out.some((l) => l.includes('centre-cropped'))).toBe(true);
    // pngjs reports the colour type it read: 2 is RGB.
    const buf = readFileSync(join(out, 'samples_50.png'));
    expect(buf[25]).toBe(2);
    const sample = PNG.sync.read(buf);
    const layout = gridLayout(16, 32, 2);
    expect([sample.width, sample.height]).toEqual([layout.width, layout.height]);
    const preview = PNG.sync.read(readFileSync(join(out, 'data_preview.png')));
    expect([preview.width, preview.height]).toEqual([8 * 64 + 9 * 2, 4 * 64 + 5 * 2]); // one row of 8 per class
    let coloured = 0;
    for (let i = 0; i < preview.width * preview.height; i++) if (preview.data[i * 4] !== preview.data[i * 4 + 2]) coloured++;
    expect(coloured).toBeGreaterThan(1000);
    const fromFiles = JSON.parse(readFileSync(join(out, 'generator', 'model.json'), 'utf8'));
    expect(JSON.stringify(fromFiles.modelTopology)).toContain('[32,32,3]');
  });
});

describe('--data that cannot be used exits 1 with the message and writes nothing', () => {
  it('fewer images than one batch', async () => {
    const few = join(work, 'few');
    writeTree(few, shapeFiles({ perClass: 5, width: 28, height: 28 }));
    const out = join(work, 'few-out');
    const { code, io } = await train(graph('few', [28, 28, 1]), few, out, 32);
    expect(code).toBe(1);
    expect(io.err).toEqual(['train: Only 20 usable images; one batch needs 32. Add images or lower the batch size.']);
    expect(existsSync(out)).toBe(false);
  });

  it('a damaged zip', async () => {
    writeFileSync(join(work, 'bad.zip'), Uint8Array.from([0x50, 0x4b, 3, 4, 9, 9, 9, 9]));
    const out = join(work, 'bad-out');
    const bad = await train(graph('gray2', [28, 28, 1]), join(work, 'bad.zip'), out);
    expect(bad.code).toBe(1);
    expect(bad.io.err[0]).toBe('train: bad.zip is not a readable zip file: it is damaged or incomplete. Nothing was loaded.');
    expect(existsSync(out)).toBe(false);
  });
});
