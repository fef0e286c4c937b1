// The learner's own images in the browser (issue 17): datasets the test makes itself — a folder of labelled PNG
// shapes (with a text file and a corrupt PNG among them), a zip of 32×32 colour shapes, an IDX pair — each loaded
// through the Data panel, previewed with its counts per label, used by the image input and trained 50 iterations on
// WASM; colour trains through a conv graph (the small DCGAN at 32×32×3) with a colour sample grid. Too few images are refused and the dataset
// in use stays as it was.
import { test, expect, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { zipSync } from 'fflate';
import { EditorPage } from './pages/editor';

type Shape = 'circle' | 'square' | 'cross';
const SHAPES: Shape[] = ['circle', 'square', 'cross'];

/** A w×h PNG of one shape, jittered by `k`: white on black (gray) or `colour` on black. */
function shapePng(shape: Shape, k: number, w: number, h: number, colour: [number, number, number] = [255, 255, 255]): Buffer {
  const png = new PNG({ width: w, height: h });
  const cx = w / 2 + ((k % 5) - 2);
  const cy = h / 2 + (((k >> 2) % 5) - 2);
  const r = w * (0.22 + (k % 3) * 0.04);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const on = shape === 'circle' ? Math.abs(Math.hypot(dx, dy) - r) < 1.5 : shape === 'square' ? Math.max(Math.abs(dx), Math.abs(dy)) < r : Math.min(Math.abs(dx), Math.abs(dy)) < 2 && Math.max(Math.abs(dx), Math.abs(dy)) < r;
      const o = 4 * (y * w + x);
      png.data[o] = on ? colour[0] : 0;
      png.data[o + 1] = on ? colour[1] : 0;
      png.data[o + 2] = on ? colour[2] : 0;
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** An IDX file: magic (0, 0, uint8 = 0x08, dims), big-endian dimension sizes, then the bytes. */
function idx(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt8(0x08, 2);
  head.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

let ed: EditorPage;

async function openDataPanel(page: Page) {
  await ed.menu('File', 'Datasets…');
  await expect(page.getByTestId('data-panel')).toBeVisible();
}

const imageDataset = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { ganvas: { store: { get(): { nodes: { type: string; params: Record<string, unknown> }[] } } } };
    const n = w.ganvas.store.get().nodes.find((x) => x.type === 'ImageInput');
    return { dataset: n?.params.dataset, shape: n?.params.shape };
  });

async function train50(page: Page) {
  await ed.setTrainingField('Iterations', '50');
  await ed.setTrainingField('Sample interval', '25');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await expect(page.getByTestId('health')).toHaveText('Ready to train');
  await ed.button('Run').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 30_000 });
  await expect(page.getByTestId('training-backend')).toHaveText('WASM');
  await expect(page.getByTestId('training-log').locator('div').last()).toHaveText(/^50 \[D loss: \d+\.\d{6}/);
}

/** Pixels of a canvas where red differs from green (a gray drawing has none). */
const colourPixels = (page: Page, testid: string) =>
  page.getByTestId(testid).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[i + 1]) > 8) n++;
    return n;
  });

test.beforeEach(async ({ page }) => {
  ed = new EditorPage(page);
  await ed.openFresh();
  await ed.menu('File', 'Load MNIST preset');
  await expect(page.getByTestId('health')).toHaveText('Ready to train');
  // A load needs at least one batch of images: these small sets train in batches of 16.
  await ed.setTrainingField('Batch size', '16');
});

test.afterEach(() => ed.expectNoErrors());

test('a folder of labelled PNGs: loads with its report, previews per label, trains 50 iterations on WASM', async ({ page }, info) => {
  // 3 classes × 30 images of 28×28, 10 of the squares at 40×40 (resized), a text file and a corrupt PNG.
  const dir = info.outputPath('shapes');
  rmSync(dir, { recursive: true, force: true });
  SHAPES.forEach((s) => mkdirSync(join(dir, s), { recursive: true }));
  for (const s of SHAPES) for (let k = 0; k < 30; k++) writeFileSync(join(dir, s, `${k}.png`), s === 'square' && k < 10 ? shapePng(s, k, 40, 40) : shapePng(s, k, 28, 28));
  writeFileSync(join(dir, 'notes.txt'), 'drawn by the test');
  writeFileSync(join(dir, 'circle', 'broken.png'), shapePng('circle', 0, 28, 28).subarray(0, 60));

  // From the image input's inspector.
  await ed.selectNode('d_image');
  await page.getByTestId('use-own-images').click();
  const panel = page.getByTestId('data-panel');
  await expect(panel.getByRole('radio', { name: /28×28/ })).toBeChecked();
  await expect(page.getByTestId('data-policy')).toContainText('centre-cropped');
  await page.getByTestId('data-pick-folder').setInputFiles(dir);
  await expect(page.getByTestId('data-loaded')).toHaveText('Loaded "shapes": 90 images of 28×28×1', { timeout: 20_000 });
  await expect(page.getByTestId('data-counts').locator('tbody tr')).toHaveText([/circle\s*30/, /cross\s*30/, /square\s*30/]);
  await expect(page.getByTestId('data-not-images')).toContainText('Skipped, not images: 1 (e.g. shapes/notes.txt)');
  await expect(page.getByTestId('data-skipped')).toContainText('broken.png');
  await expect(page.getByTestId('data-resized')).toContainText('Resized: 10 of 90 images were not 28×28×1');
  await expect.poll(() => page.getByTestId('data-preview').evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([8 * 28, 3 * 28]);

  await page.getByTestId('data-use').click();
  await expect(page.getByTestId('data-note')).toHaveText('The image input now uses "shapes" (28×28×1).');
  expect(await imageDataset(page)).toEqual({ dataset: 'user:shapes', shape: [28, 28, 1] });
  await page.getByTestId('data-panel').getByRole('button', { name: 'Close' }).click();
  // Dataset and shape were one edit: one undo puts MNIST back, one redo brings "shapes" again.
  await ed.button('Undo').click();
  expect(await imageDataset(page)).toEqual({ dataset: 'mnist', shape: [28, 28, 1] });
  await ed.button('Redo').click();
  await expect(page.getByRole('complementary').getByLabel('Dataset', { exact: true })).toHaveValue('user:shapes');
  await train50(page);

  // The stored dataset survives a reload and the graph still names it; it can be deleted.
  await page.reload();
  await expect(page.getByTestId('health')).toHaveText('Ready to train');
  await openDataPanel(page);
  await expect(page.getByTestId('data-stored')).toContainText('shapes: 90 images, 28×28×1');
  await page.getByTestId('data-delete').click();
  await page.getByTestId('data-confirm-delete').click();
  await expect(page.getByTestId('data-stored')).not.toContainText('shapes');
});

test('a zip of 32×32 colour shapes trains through a conv graph (small DCGAN) with a colour sample grid', async ({ page }) => {
  const colours: Record<Shape, [number, number, number]> = { circle: [255, 40, 40], square: [40, 220, 60], cross: [60, 90, 255] };
  const entries: Record<string, Uint8Array> = {};
  for (const s of SHAPES) for (let k = 0; k < 24; k++) entries[`colours/${s}/${k}.png`] = shapePng(s, k, 32, 32, colours[s]);
  const zip = Buffer.from(zipSync(entries, { level: 0 }));

  // The small DCGAN (ch. 4) made for 32×32×3: G starts from 8×8×64 and its last transposed convolution gives 3 channels.
  const dcgan = JSON.parse(readFileSync('presets/dcgan-small-mnist.json', 'utf8')) as { nodes: { id: string; params: Record<string, unknown> }[] };
  const set = (id: string, key: string, v: unknown) => (dcgan.nodes.find((n) => n.id === id)!.params[key] = v);
  set('g_dense', 'units', 8 * 8 * 64);
  set('g_reshape', 'targetShape', [8, 8, 64]);
  set('g_convt3', 'filters', 3);
  await page.evaluate((doc) => {
    const w = window as unknown as { ganvas: { store: { replace(d: unknown): boolean } } };
    w.ganvas.store.replace(doc);
  }, dcgan);
  await expect(page.getByTestId('health')).not.toHaveText('Ready to train'); // the image input still says 28×28×1
  await ed.setTrainingField('Batch size', '16');
  await openDataPanel(page);
  await page.getByRole('radio', { name: /32×32×3/ }).check();
  await page.getByTestId('data-pick-files').setInputFiles({ name: 'colours.zip', mimeType: 'application/zip', buffer: zip });
  await expect(page.getByTestId('data-loaded')).toHaveText('Loaded "colours": 72 images of 32×32×3', { timeout: 20_000 });
  await expect(page.getByTestId('data-counts').locator('tbody tr')).toHaveCount(3);
  await expect.poll(() => colourPixels(page, 'data-preview')).toBeGreaterThan(100);
  await page.getByTestId('data-use').click();
  await page.getByTestId('data-panel').getByRole('button', { name: 'Close' }).click();
  expect(await imageDataset(page)).toEqual({ dataset: 'user:colours', shape: [32, 32, 3] });
  await train50(page);
  await expect.poll(() => colourPixels(page, 'sample-grid')).toBeGreaterThan(100);
  await ed.screenshot('data-colour-trained');
});

test('an IDX pair trains; too few images for a batch are refused and the dataset in use is untouched', async ({ page }) => {
  const n = 64;
  const images = new Uint8Array(n * 28 * 28);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 4;
    const png = PNG.sync.read(shapePng(SHAPES[i % 3], i, 28, 28));
    for (let p = 0; p < 28 * 28; p++) images[i * 784 + p] = png.data[4 * p];
  }
  const files = [
    { name: 'letters-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: idx([n, 28, 28], images) },
    { name: 'letters-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: idx([n], labels) },
  ];
  await openDataPanel(page);
  await page.getByTestId('data-pick-files').setInputFiles(files);
  await expect(page.getByTestId('data-loaded')).toHaveText('Loaded "letters": 64 images of 28×28×1', { timeout: 20_000 });
  await expect(page.getByTestId('data-counts').locator('tbody tr')).toHaveText([/0\s*16/, /1\s*16/, /2\s*16/, /3\s*16/]);
  await page.getByTestId('data-use').click();
  await page.getByTestId('data-panel').getByRole('button', { name: 'Close' }).click();
  await train50(page);

  // A batch of 128 needs 128 images: the same 64 are refused, nothing is stored, the graph keeps "letters".
  await ed.setTrainingField('Batch size', '128');
  await openDataPanel(page);
  const before = await page.getByTestId('data-stored').innerText();
  await page.getByTestId('data-pick-files').setInputFiles(files);
  await expect(page.getByTestId('data-error')).toContainText('Only 64 usable images; one batch needs 128.');
  await expect(page.getByTestId('data-stored')).toHaveText(before);
  expect(await imageDataset(page)).toEqual({ dataset: 'user:letters', shape: [28, 28, 1] });
  // Not images at all: named, nothing loaded.
  await page.getByTestId('data-pick-files').setInputFiles({ name: 'photos.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
  await expect(page.getByTestId('data-error')).toContainText('photos.zip is not a readable zip file');
  expect(await imageDataset(page)).toEqual({ dataset: 'user:letters', shape: [28, 28, 1] });
});
