// The learner's own images in the browser (issue 17): datasets the test makes itself — a folder of labelled PNG
// shapes (with a text file and a corrupt PNG among them), a zip of 32×32 colour shapes, an IDX pair — each loaded
// through the Data panel, previewed with its counts per label, used by the image input and trained 50 iterations on
// WASM; colour trains through a conv graph (the small DCGAN at 32×32×3) with a colour sample grid. A folder dropped
// on the panel the way a file manager drops it (Chromium's own drag with the folder's path, so the page gets real
// folder entries) trains a conditional GAN on its class subfolders, after the graph says how its classes disagree.
// Too few images, a damaged zip, an empty drop, an oversize folder, a zip bomb are refused and the dataset in use
// stays as it was (a full quota is src/data/datasetStore.test.ts's: DevTools' quota override does not reach
// navigator.storage.estimate in this Chromium, and the dataset worker cannot be stubbed from the page).
import { test, expect, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { zipSync } from 'fflate';
import { EditorPage } from './pages/editor';
import { denseCganDocument } from '../src/testing/cganFixtures';

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

/** Writes `perClass` PNG shapes of w×h per class into dir/<class>/ (dir is emptied first). */
function shapeFolder(dir: string, perClass: number, w = 28, h = 28) {
  rmSync(dir, { recursive: true, force: true });
  for (const s of SHAPES) {
    mkdirSync(join(dir, s), { recursive: true });
    for (let k = 0; k < perClass; k++) writeFileSync(join(dir, s, `${k}.png`), shapePng(s, k, w, h));
  }
}

/**
 * Drops files or folders from disk on an element as a file manager would: Chromium's own drag (DevTools
 * Input.dispatchDragEvent with the paths), so the page sees a real drop with folder entries, not a script's copy.
 */
async function dropFromDisk(page: Page, testid: string, paths: string[]) {
  const box = (await page.getByTestId(testid).boundingBox())!;
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
  await cdp.detach();
}

/** Records every text the training status shows (a load from IndexedDB can be too quick to catch by polling). */
const recordStatus = (page: Page) =>
  page.getByTestId('training-status').evaluate((el) => {
    const seen: string[] = [el.textContent ?? ''];
    new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    (window as unknown as { statusSeen: string[] }).statusSeen = seen;
  });
const statusSeen = (page: Page) => page.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen);

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

test('a folder dropped on the panel from disk: labels from its subfolders; a CGAN is told its classes disagree, then trains 50 iterations', async ({ page }, info) => {
  const dir = info.outputPath('shapes');
  shapeFolder(dir, 40);
  writeFileSync(join(dir, '.DS_Store'), 'finder');
  // The chapter-8 label wiring around small dense networks (G and D read the label through Embedding(10, …)).
  await page.evaluate((doc) => {
    const w = window as unknown as { ganvas: { store: { replace(d: unknown): boolean } } };
    w.ganvas.store.replace(doc);
  }, denseCganDocument());
  await ed.setTrainingField('Batch size', '16');
  await openDataPanel(page);
  await dropFromDisk(page, 'data-drop', [dir]);
  await expect(page.getByTestId('data-loaded')).toHaveText('Loaded "shapes": 120 images of 28×28×1', { timeout: 20_000 });
  await expect(page.getByTestId('data-counts').locator('tbody tr')).toHaveText([/circle\s*40/, /cross\s*40/, /square\s*40/]);
  await expect(page.getByTestId('data-report')).toContainText('Files looked at: 120 · images kept: 120');
  await expect(page.getByTestId('data-report')).toContainText('No file was skipped.');
  await expect.poll(() => page.getByTestId('data-preview').evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([8 * 28, 3 * 28]);
  await page.getByTestId('data-use').click();
  await expect(page.getByTestId('data-note')).toHaveText('The image input now uses "shapes" (28×28×1).');
  await page.getByTestId('data-panel').getByRole('button', { name: 'Close' }).click();

  // The graph's labels say 10 classes; the folder has 3: each label input and Embedding says so, in its own words.
  await expect(ed.node('d_label').getByTestId('node-problem')).toHaveText('This label input says 10 classes, but shapes has 3 (0 to 2): set Classes to 3.');
  await expect(ed.node('g_label').getByTestId('node-problem')).toHaveText('This label input says 10 classes, but shapes has 3 (0 to 2): set Classes to 3.');
  await expect(ed.node('g_embed').getByTestId('node-problem')).toHaveText('This Embedding has 10 rows, but its labels come from shapes, with 3 classes: rows 3 to 9 will never be used. Set Input dimension to 3.');
  await expect(page.getByTestId('health')).not.toHaveText('Ready to train');
  await page.evaluate(() => {
    const w = window as unknown as { ganvas: { store: { apply(f: (d: { nodes: { id: string; params: Record<string, unknown> }[]; training: Record<string, unknown> }) => void): boolean } } };
    w.ganvas.store.apply((d) => {
      for (const n of d.nodes) {
        if (n.id === 'g_label' || n.id === 'd_label') n.params.classes = 3;
        if (n.id === 'g_embed' || n.id === 'd_embed') n.params.inputDim = 3;
      }
      d.training.sampleLabels = [0, 1, 2];
    });
  });
  await expect(page.getByTestId('node-problem')).toHaveCount(0);
  await recordStatus(page);
  await train50(page);
  expect(await statusSeen(page)).toContain('Loading your dataset "shapes"…');
  // The grid and its chooser name the classes by their folders, not as digits.
  await expect(page.getByTestId('digit-caption').first()).toHaveText('circle');
  await expect(page.getByTestId('digit-chooser').getByRole('button', { pressed: true })).toHaveText(['circle', 'cross', 'square']);
  await ed.screenshot('data-cgan-shapes');
});

test('drops a script builds (files without folder entries) load too; a drop with no files, or beside the zone, changes nothing', async ({ page }) => {
  // Files carrying their folder path (as a webkitdirectory pick gives them) in a DataTransfer the page itself builds:
  // the browser gives no entries for those, so the panel takes the files as they are.
  const files = SHAPES.flatMap((s) => Array.from({ length: 8 }, (_, k) => ({ path: `drawn/${s}/${k}.png`, bytes: [...shapePng(s, k, 28, 28)] })));
  const dispatch = async (what: 'files' | 'text', testid: string) =>
    page.evaluate(
      ({ files, what, testid }) => {
        const dt = new DataTransfer();
        if (what === 'text') dt.setData('text/plain', 'a few words');
        else
          for (const f of files) {
            const file = new File([new Uint8Array(f.bytes)], f.path.split('/').pop()!, { type: 'image/png' });
            Object.defineProperty(file, 'webkitRelativePath', { value: f.path });
            dt.items.add(file);
          }
        const el = document.querySelector(`[data-testid="${testid}"]`)!;
        const events = ['dragenter', 'dragover', 'drop'].map((type) => new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        for (const e of events) el.dispatchEvent(e);
        return events.map((e) => e.defaultPrevented);
      },
      { files, what, testid },
    );
  await openDataPanel(page);
  expect(await dispatch('files', 'data-drop')).toEqual([true, true, true]);
  await expect(page.getByTestId('data-loaded')).toHaveText('Loaded "drawn": 24 images of 28×28×1', { timeout: 20_000 });
  await expect(page.getByTestId('data-counts').locator('tbody tr')).toHaveText([/circle\s*8/, /cross\s*8/, /square\s*8/]);
  await page.getByTestId('data-use').click();
  expect(await imageDataset(page)).toEqual({ dataset: 'user:drawn', shape: [28, 28, 1] });

  // Text dropped: said, nothing stored, the graph keeps "drawn".
  const before = await page.getByTestId('data-stored').innerText();
  expect(await dispatch('text', 'data-drop')).toEqual([true, true, true]);
  await expect(page.getByTestId('data-error')).toContainText('What was dropped holds no files');
  // Files dropped beside the zone (on the dimmed page around the panel): the tab keeps the editor.
  expect((await dispatch('files', 'data-panel')).slice(1)).toEqual([true, true]); // dragover and drop: refused
  await expect(page.getByTestId('data-stored')).toHaveText(before);
  expect(await imageDataset(page)).toEqual({ dataset: 'user:drawn', shape: [28, 28, 1] });
  await expect(page.getByTestId('data-error')).toContainText('What was dropped holds no files');
});

test('a damaged zip: its message is in Korean through and through, and the dataset in use is untouched', async ({ page }) => {
  await page.getByLabel('Language').selectOption('ko');
  await ed.menu('파일', '데이터셋…');
  await expect(page.getByTestId('data-panel')).toBeVisible();
  // A zip's start and nothing after it.
  const zip = Buffer.from(zipSync({ 'a/1.png': shapePng('circle', 1, 28, 28) }, { level: 0 }));
  await page.getByTestId('data-pick-files').setInputFiles({ name: 'cut.zip', mimeType: 'application/zip', buffer: zip.subarray(0, 80) });
  const error = page.getByTestId('data-error');
  await expect(error).toContainText('cut.zip은(는) 읽을 수 있는 zip 파일이 아닙니다.');
  // Nothing English but the file's name and the word zip.
  expect((await error.innerText()).replace('cut.zip', '').replace(/zip/g, '')).not.toMatch(/[A-Za-z]{3,}/);
  expect(await imageDataset(page)).toEqual({ dataset: 'mnist', shape: [28, 28, 1] });
  await expect(page.getByTestId('data-stored')).not.toContainText('cut');
});

test('the data panel at 1400×900, 1024×768 and 390×844, in English and Korean: empty, loaded with labels, refused', async ({ page }, info) => {
  test.setTimeout(120_000);
  const dir = info.outputPath('shapes');
  shapeFolder(dir, 12);
  writeFileSync(join(dir, 'notes.txt'), 'drawn by the test');
  writeFileSync(join(dir, 'circle', 'broken.png'), shapePng('circle', 0, 28, 28).subarray(0, 60));
  const sizes = [[1400, 900], [1024, 768], [390, 844]] as const;
  const panel = page.getByTestId('data-panel');
  /** Each size's screenshot; nothing in the panel is wider than the window. */
  const shoot = async (lang: string, state: string) => {
    for (const [w, h] of sizes) {
      await page.setViewportSize({ width: w, height: h });
      await ed.screenshot(`data-panel-${w}-${lang}-${state}`);
      expect(await panel.evaluate((p) => p.scrollWidth <= window.innerWidth), `${w} ${lang} ${state}`).toBe(true);
    }
    await page.setViewportSize({ width: 1400, height: 900 });
  };
  for (const lang of ['en', 'ko'] as const) {
    await page.getByLabel('Language').selectOption(lang);
    await ed.menu(lang === 'en' ? 'File' : '파일', lang === 'en' ? 'Datasets…' : '데이터셋…');
    await expect(panel).toBeVisible();
    await shoot(lang, 'empty');
    await page.getByTestId('data-pick-folder').setInputFiles(dir);
    // The second load of the same folder is told apart by its name.
    await expect(page.getByTestId('data-loaded')).toContainText(lang === 'en' ? '"shapes"' : '"shapes (2)"', { timeout: 20_000 });
    await shoot(lang, 'loaded');
    await page.getByTestId('data-result').screenshot({ path: `test-results/screenshots/data-panel-${lang}-result.png` });
    await page.getByTestId('data-pick-files').setInputFiles({ name: 'photos.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
    await expect(page.getByTestId('data-error')).toBeVisible();
    await shoot(lang, 'refused');
    await panel.getByRole('button', { name: lang === 'en' ? 'Close' : '닫기' }).click();
  }
  await expect(page.getByTestId('data-stored')).toBeHidden();
});

test('an oversize folder and a zip that would expand past the limit: each names the limit, nothing is stored, the dataset in use is untouched', async ({ page }, info) => {
  const small = info.outputPath('small');
  shapeFolder(small, 8);
  await openDataPanel(page);
  await page.getByTestId('data-pick-folder').setInputFiles(small);
  await expect(page.getByTestId('data-loaded')).toHaveText('Loaded "small": 24 images of 28×28×1', { timeout: 20_000 });
  await page.getByTestId('data-use').click();
  const stored = await page.getByTestId('data-stored').innerText();
  const untouched = async () => {
    await expect(page.getByTestId('data-stored')).toHaveText(stored);
    expect(await imageDataset(page)).toEqual({ dataset: 'user:small', shape: [28, 28, 1] });
  };

  // 600 MB on disk (a sparse file: no real space used) is over the 512 MB a folder may hold; nothing is read.
  const big = info.outputPath('big');
  shapeFolder(big, 8);
  writeFileSync(join(big, 'circle', 'huge.png'), '');
  truncateSync(join(big, 'circle', 'huge.png'), 600 * 1024 * 1024);
  await page.getByTestId('data-pick-folder').setInputFiles(big);
  await expect(page.getByTestId('data-error')).toContainText('big holds 600 MB; the limit is 512 MB. Nothing was loaded.');
  await untouched();

  // A zip whose directory says its two entries unpack to 300 MB each: refused before anything is inflated.
  const zip = Buffer.from(zipSync({ 'bomb/a.png': shapePng('circle', 1, 28, 28), 'bomb/b.png': shapePng('cross', 2, 28, 28) }, { level: 0 }));
  for (let i = 0; i < zip.length - 4; i++) if (zip.readUInt32LE(i) === 0x02014b50) zip.writeUInt32LE(300 * 1024 * 1024, i + 24);
  await page.getByTestId('data-pick-files').setInputFiles({ name: 'bomb.zip', mimeType: 'application/zip', buffer: zip });
  await expect(page.getByTestId('data-error')).toContainText('bomb.zip would expand to 600 MB+; the limit is 512 MB, so it was not unpacked.');
  await untouched();
});
