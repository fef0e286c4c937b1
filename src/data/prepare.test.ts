// Preparation on datasets the tests make: 1,000 PNG shapes in labelled folders, a zip of them, an IDX pair; every
// format; every bad input with its message; the limits.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GifWriter } from 'omggif';
import jpeg from 'jpeg-js';
import { encode as encodeBmp } from 'bmp-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_MESSAGES, engineMessage } from '../i18n/messages';
import { DataError, datasetId, formatBytes, uniqueName, type DataLimits } from './dataset';
import { headerSize, sniffFormat } from './formats';
import { fitImage, centreCrop } from './resample';
import { folderLabels, prepareFiles, prepareImages } from './prepare';
import { maybeGunzip, parseIdx, zipFiles, type SourceFile } from './sources';
import { decodePng } from './pngFast';
import { PNG } from 'pngjs';
import { loadDatasetFromPath } from '../cli/datasetFiles';
import { nodeDecoder } from '../cli/nodeDecoder';
import { SHAPE_CLASSES, drawShape, encodePng, gzipSync, idxBytes, shapeFiles, shapeIdxPair, writeTree, zipOf } from '../testing/datasets';

const work = mkdtempSync(join(tmpdir(), 'ganvas-data-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const mem = (files: Record<string, Uint8Array | string>): SourceFile[] =>
  Object.entries(files).map(([path, d]) => {
    const bytes = typeof d === 'string' ? new TextEncoder().encode(d) : d;
    return { path, size: bytes.length, read: async () => bytes };
  });

/** Runs `f`, expects a DataError with `code`, returns its English message (which must name what it says). */
async function refused(f: () => Promise<unknown> | unknown, code: string): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).code).toBe(code);
    const msg = engineMessage((e as DataError).code, (e as DataError).args);
    expect(msg).not.toMatch(/\{\w+\}/);
    return msg;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe('fitImage: centre-crop to the target proportions, then area resize; gray or RGB; transparent is white', () => {
  it('copies an image already of the target shape', () => {
    const data = Uint8Array.from({ length: 12 }, (_, i) => i * 20);
    const out = new Uint8Array(12);
    expect(fitImage({ width: 4, height: 3, channels: 1, data }, [3, 4, 1], out, 0)).toEqual({ resized: false, converted: false });
    expect(Array.from(out)).toEqual(Array.from(data));
  });

  it('averages each 2×2 block when halving, and crops the middle of a wider image', () => {
    // 6×2 gray: the centre 2×2 square is cropped for a 1×1 target; its mean is taken.
    const data = Uint8Array.from([0, 0, 10, 30, 200, 200, 0, 0, 50, 70, 200, 200]);
    const out = new Uint8Array(1);
    expect(centreCrop(6, 2, 1, 1)).toEqual({ x: 2, y: 0, w: 2, h: 2 });
    expect(fitImage({ width: 6, height: 2, channels: 1, data }, [1, 1, 1], out, 0)).toEqual({ resized: true, converted: false });
    expect(out[0]).toBe(40);
    // 4×4 → 2×2
    const grid = Uint8Array.from([0, 4, 100, 100, 8, 12, 100, 100, 255, 255, 0, 0, 255, 255, 0, 0]);
    const half = new Uint8Array(4);
    fitImage({ width: 4, height: 4, channels: 1, data: grid }, [2, 2, 1], half, 0);
    expect(Array.from(half)).toEqual([6, 100, 255, 0]);
  });

  it('converts RGB to gray with 0.299/0.587/0.114, composites transparency over white, and gray to RGB', () => {
    const rgba = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 0, 0, 0, 0]);
    const gray = new Uint8Array(4);
    expect(fitImage({ width: 4, height: 1, channels: 4, data: rgba }, [1, 4, 1], gray, 0)).toEqual({ resized: false, converted: true });
    expect(Array.from(gray)).toEqual([76, 150, 29, 255]);
    const rgb = new Uint8Array(6);
    fitImage({ width: 2, height: 1, channels: 1, data: Uint8Array.from([7, 200]) }, [1, 2, 3], rgb, 0);
    expect(Array.from(rgb)).toEqual([7, 7, 7, 200, 200, 200]);
  });

  it('enlarges bilinearly within the source range, and writes at the offset only', () => {
    const out = new Uint8Array(2 + 16).fill(9);
    fitImage({ width: 2, height: 2, channels: 1, data: Uint8Array.from([0, 100, 100, 200]) }, [4, 4, 1], out, 2);
    expect(out[0]).toBe(9);
    expect(out[1]).toBe(9);
    const img = Array.from(out.subarray(2));
    expect(Math.min(...img)).toBe(0);
    expect(Math.max(...img)).toBe(200);
    expect(img[5]).toBeGreaterThan(0); // interpolated, not nearest
    expect(img[5]).toBeLessThan(100);
  });
});

describe('formats: told by content, sized from the header, decoded in Node', () => {
  const w = 5;
  const h = 3;
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([i * 16, 255 - i * 16, (i * 40) % 256, 255], i * 4);

  const encoded: Record<string, Uint8Array> = {};
  beforeAll(async () => {
    encoded.png = encodePng(rgba, w, h, 2);
    encoded.jpeg = new Uint8Array(jpeg.encode({ data: rgba, width: w, height: h }, 100).data);
    const gif = new Uint8Array(4096);
    const palette = Array.from({ length: 16 }, (_, i) => (rgba[i * 4] << 16) | (rgba[i * 4 + 1] << 8) | rgba[i * 4 + 2]);
    const writer = new GifWriter(gif, w, h, { palette });
    writer.addFrame(0, 0, w, h, Array.from({ length: w * h }, (_, i) => i));
    encoded.gif = gif.slice(0, writer.end());
    // bmp-ts takes ABGR bytes.
    const abgr = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) abgr.set([255, rgba[i * 4 + 2], rgba[i * 4 + 1], rgba[i * 4]], i * 4);
    encoded.bmp = new Uint8Array(encodeBmp({ width: w, height: h, data: abgr, bitPP: 24 }).data);
    const { readFile } = await import('node:fs/promises');
    const { createRequire } = await import('node:module');
    const enc = (await import('@jsquash/webp/encode.js')) as unknown as { init(m: WebAssembly.Module): Promise<void>; default(d: ImageData, o: object): Promise<ArrayBuffer> };
    await enc.init(await WebAssembly.compile(await readFile(createRequire(import.meta.url).resolve('@jsquash/webp/codec/enc/webp_enc.wasm'))));
    // The encoder reads only data, width and height (Node has no ImageData).
    encoded.webp = new Uint8Array(await enc.default({ data: new Uint8ClampedArray(rgba), width: w, height: h, colorSpace: 'srgb' }, { lossless: 1 }));
  });

  it.each(['png', 'jpeg', 'gif', 'bmp', 'webp'] as const)('%s', async (format) => {
    const bytes = encoded[format];
    expect(sniffFormat(bytes)).toBe(format);
    expect(headerSize(bytes, format)).toEqual({ width: w, height: h });
    const img = await nodeDecoder.decode(bytes, format);
    expect([img.width, img.height]).toEqual([w, h]);
    const out = new Uint8Array(w * h * 3);
    fitImage(img, [h, w, 3], out, 0);
    // Lossless formats exactly; JPEG within its quantisation (chroma subsampling smears a 5×3 rainbow a little).
    const tolerance = format === 'jpeg' ? 60 : 0;
    for (let i = 0; i < w * h; i++) for (let c = 0; c < 3; c++) expect(Math.abs(out[i * 3 + c] - rgba[i * 4 + c])).toBeLessThanOrEqual(tolerance);
  });

  it('a file with an image name but other content is corrupt; other files are not images', () => {
    expect(sniffFormat(new TextEncoder().encode('hello'))).toBeUndefined();
    expect(headerSize(encoded.png.slice(0, 20), 'png')).toBeUndefined();
  });
});

describe('folder, zip and IDX of generated shapes', () => {
  const files = shapeFiles({ perClass: 250, oddSizeEvery: 50 });
  const folder = join(work, 'shapes');
  const zip = join(work, 'shapes.zip');
  beforeAll(() => {
    writeTree(folder, { ...files, 'notes.txt': 'not an image', 'circle/broken.png': 'not a png either', '.DS_Store': 'x', 'square/._0000.png': 'AppleDouble' });
    writeFileSync(zip, zipOf('shapes', files));
  });

  it('a folder of 1,000 PNGs in 4 class folders: labels, counts, resized and skipped, as 28×28×1', async () => {
    const progress: number[] = [];
    const ds = await loadDatasetFromPath(folder, { target: [28, 28, 1], minImages: 64, onProgress: (p) => progress.push(p.done) });
    expect(ds.count).toBe(1000);
    expect(ds.shape).toEqual([28, 28, 1]);
    expect(ds.pixels).toBeInstanceOf(Uint8Array);
    expect(ds.pixels.length).toBe(1000 * 784);
    expect(ds.classNames).toEqual([...SHAPE_CLASSES]);
    expect(ds.meta.labelCounts).toEqual([250, 250, 250, 250]);
    expect(ds.labels!.length).toBe(1000);
    expect(ds.meta.id).toBe('user:shapes');
    const r = ds.meta.report;
    expect(r.files).toBe(1002); // .DS_Store and ._ files are system files, not counted
    expect(r.images).toBe(1000);
    expect(r.notImages).toEqual({ count: 1, examples: ['shapes/notes.txt'] });
    expect(r.skipped.map((s) => s.name)).toEqual(['shapes/circle/broken.png']);
    expect(engineMessage(r.skipped[0].code, r.skipped[0].args)).toBe('shapes/circle/broken.png: named like a PNG image, but its content is not an image; skipped.');
    expect(r.resized).toBe(1000);
    expect(r.sizes).toEqual({ '32×32': 980, '45×37': 20 });
    expect(r.converted).toBe(1000);
    expect(progress.at(-1)).toBe(1002);
    // The background (10, 10, 20) is dark, the shapes bright: both show up in every class.
    const first = ds.pixels.subarray(0, 784);
    expect(Math.min(...first)).toBeLessThan(20);
    expect(Math.max(...first)).toBeGreaterThan(80);
  });

  it('the zip of the same folder gives the same images and labels; 32×32×3 keeps colour', async () => {
    const fromFolder = await loadDatasetFromPath(folder, { target: [32, 32, 3], minImages: 64 });
    const fromZip = await loadDatasetFromPath(zip, { target: [32, 32, 3], minImages: 64 });
    expect(fromZip.count).toBe(1000);
    expect(fromZip.meta.source).toBe('shapes.zip');
    expect(fromZip.meta.labelCounts).toEqual([250, 250, 250, 250]);
    expect(Buffer.from(fromZip.pixels).equals(Buffer.from(fromFolder.pixels))).toBe(true);
    expect(Array.from(fromZip.labels!)).toEqual(Array.from(fromFolder.labels!));
    expect(fromZip.meta.report.resized).toBe(20);
    expect(fromZip.meta.report.converted).toBe(0);
    // Colour survives: some pixel has R ≠ G.
    let coloured = 0;
    for (let i = 0; i < 32 * 32; i++) if (fromZip.pixels[i * 3] !== fromZip.pixels[i * 3 + 1]) coloured++;
    expect(coloured).toBeGreaterThan(50);
  });

  it('an IDX pair, raw and gzip\'d, with labels; MNIST-style names find their labels file', async () => {
    const pair = shapeIdxPair(1000);
    writeFileSync(join(work, 'shapes-images-idx3-ubyte.gz'), gzipSync(pair.images));
    writeFileSync(join(work, 'shapes-labels-idx1-ubyte'), pair.labels);
    writeFileSync(join(work, 'raw-idx3-ubyte'), pair.images);
    const gz = await loadDatasetFromPath(join(work, 'shapes-images-idx3-ubyte.gz'), { target: [28, 28, 1], minImages: 64 });
    expect(gz.count).toBe(1000);
    expect(Buffer.from(gz.pixels).equals(Buffer.from(pair.pixels))).toBe(true);
    expect(gz.classNames).toEqual(['0', '1', '2', '3']);
    expect(gz.meta.labelCounts).toEqual([250, 250, 250, 250]);
    expect(gz.meta.source).toBe('shapes-images-idx3-ubyte.gz + shapes-labels-idx1-ubyte');
    expect(gz.meta.report.resized).toBe(0);
    const raw = await loadDatasetFromPath(join(work, 'raw-idx3-ubyte'), { target: [32, 32, 3], minImages: 64, labels: join(work, 'shapes-labels-idx1-ubyte') });
    expect(raw.shape).toEqual([32, 32, 3]);
    expect(raw.meta.report).toMatchObject({ resized: 1000, converted: 1000 });
    expect(raw.meta.labelCounts).toEqual([250, 250, 250, 250]);
  });

  it('colour IDX (N×H×W×3) is taken as it is, without a copy', async () => {
    const data = Uint8Array.from({ length: 70 * 8 * 8 * 3 }, (_, i) => (i * 7) % 256);
    const ds = await prepareFiles(mem({ 'colour-images.idx4-ubyte': idxBytes([70, 8, 8, 3], data) }), nodeDecoder, { target: [8, 8, 3], name: 'c', source: 'c', minImages: 64 });
    expect(ds.count).toBe(70);
    expect(Array.from(ds.pixels)).toEqual(Array.from(data));
    expect(ds.labels).toBeUndefined();
  });

  it('labels: the first folder below the shared ones; a mix of foldered and loose images gets none, with a note', () => {
    expect(folderLabels([['top', 'a', '1.png'], ['top', 'b', '2.png'], ['top', 'a', 'x', '3.png']])).toMatchObject({ classNames: ['a', 'b'], labels: Uint8Array.from([0, 1, 0]) });
    expect(folderLabels([['top', 'only', '1.png'], ['top', 'only', '2.png']])).toEqual({});
    expect(folderLabels([['1.png'], ['2.png']])).toEqual({});
    expect(folderLabels([['top', 'a', '1.png'], ['top', '2.png']])).toEqual({ note: 'data.note.mixedLabels' });
  });
});

describe('bad input: a message naming the problem, and nothing returned', () => {
  const small = shapeFiles({ perClass: 10, width: 16, height: 16 });

  it('fewer images than one batch', async () => {
    expect(await refused(() => prepareFiles(mem(small), nodeDecoder, { target: [16, 16, 1], name: 's', source: 'mem', minImages: 64 }), 'data.tooFew')).toBe(
      'Only 40 usable images; one batch needs 64. Add images or lower the batch size.',
    );
  });

  it('no images at all', async () => {
    const msg = await refused(() => prepareFiles(mem({ 'a.txt': 'x', 'b.csv': '1,2' }), nodeDecoder, { target: [16, 16, 1], name: 's', source: 'notes/', minImages: 1 }), 'data.noImages');
    expect(msg).toContain('No images in notes/');
  });

  it('a folder with more files, or more bytes, than the limits', async () => {
    const dir = join(work, 'many');
    writeTree(dir, small);
    const limits: Partial<DataLimits> = { maxFiles: 25 };
    expect(await refused(() => loadDatasetFromPath(dir, { target: [16, 16, 1], minImages: 1, limits }), 'data.tooManyFiles')).toMatch(/has 25\+ files; the limit is 25 files/);
    const bytes = Object.values(small).reduce((n, b) => n + b.length, 0);
    expect(await refused(() => loadDatasetFromPath(dir, { target: [16, 16, 1], minImages: 1, limits: { maxBytes: 1024 } }), 'data.tooLarge')).toBe(
      `${dir} holds ${formatBytes(bytes)}; the limit is 1 KB. Nothing was loaded.`,
    );
  });

  it('a zip that expands past the limit is refused before inflating; one that lies about its sizes cannot expand', async () => {
    const bomb = zipOf('bomb', { 'zeros.png': new Uint8Array(5 << 20) });
    expect(bomb.length).toBeLessThan(10_000);
    expect(await refused(() => zipFiles(bomb, 'bomb.zip', { maxFiles: 10, maxBytes: 1 << 20, maxImagePixels: 1e6, maxPreparedBytes: 1e9 }), 'data.zipTooLarge')).toBe(
      'bomb.zip would expand to 5 MB+; the limit is 1 MB, so it was not unpacked. Nothing was loaded.',
    );
    // Sizes patched down to 100 bytes in both headers: fflate inflates into 100 bytes and stops.
    const liar = bomb.slice();
    const v = new DataView(liar.buffer);
    for (let i = 0; i < liar.length - 4; i++) {
      if (v.getUint32(i, true) === 0x02014b50) v.setUint32(i + 24, 100, true);
      if (v.getUint32(i, true) === 0x04034b50) v.setUint32(i + 22, 100, true);
    }
    const [entry] = zipFiles(liar, 'liar.zip');
    expect((await entry.read()).length).toBe(100);
    expect(await refused(() => zipFiles(zipOf('m', small), 'm.zip', { maxFiles: 12, maxBytes: 1e9, maxImagePixels: 1e6, maxPreparedBytes: 1e9 }), 'data.tooManyFiles')).toMatch(/limit is 12 files/);
    expect(await refused(() => zipFiles(Uint8Array.from([0x50, 0x4b, 3, 4, 1, 2, 3]), 'bad.zip'), 'data.zipCorrupt')).toBe('bad.zip is not a readable zip file: it is damaged or incomplete. Nothing was loaded.');
  });

  it('an image whose header claims more pixels than the limit is skipped unread, and named', async () => {
    const png = encodePng(drawShape('circle', 16, 16, () => 0.5), 16, 16);
    const huge = png.slice();
    new DataView(huge.buffer).setUint32(16, 30000);
    new DataView(huge.buffer).setUint32(20, 30000);
    const ds = await prepareImages(mem({ ...small, 'circle/huge.png': huge }), nodeDecoder, { target: [16, 16, 1], name: 's', source: 'mem', minImages: 1 });
    expect(ds.count).toBe(40);
    expect(ds.meta.report.skipped).toHaveLength(1);
    expect(engineMessage(ds.meta.report.skipped[0].code, ds.meta.report.skipped[0].args)).toBe('circle/huge.png: 30000×30000 is over the 40-megapixel limit; skipped.');
  });

  it('corrupt images: a truncated PNG and a damaged JPEG are skipped by name; the rest load', async () => {
    const png = Object.values(small)[0];
    const jpg = new Uint8Array(jpeg.encode({ data: drawShape('square', 16, 16, () => 0.3), width: 16, height: 16 }, 90).data);
    const broken = { 'cross/cut.png': png.slice(0, png.length - 30), 'cross/bad.jpg': jpg.slice(0, 200) };
    const ds = await prepareImages(mem({ ...small, ...broken }), nodeDecoder, { target: [16, 16, 1], name: 's', source: 'mem', minImages: 1 });
    expect(ds.count).toBe(40);
    expect(ds.meta.report.skipped.map((s) => s.name)).toEqual(['cross/bad.jpg', 'cross/cut.png']);
    expect(ds.meta.report.skipped.map((s) => engineMessage(s.code, s.args))).toEqual([
      'cross/bad.jpg: not a readable JPEG image (it is damaged or incomplete); skipped.',
      'cross/cut.png: not a readable PNG image (it is damaged or incomplete); skipped.',
    ]);
    expect(ds.meta.report.skipped.map((s) => engineMessage(s.code, s.args, 'ko'))).toEqual([
      'cross/bad.jpg: 읽을 수 있는 JPEG 이미지가 아닙니다(손상되었거나 일부가 빠짐). 건너뛰었습니다.',
      'cross/cut.png: 읽을 수 있는 PNG 이미지가 아닙니다(손상되었거나 일부가 빠짐). 건너뛰었습니다.',
    ]);
  });

  it('IDX: labels that do not match, a truncated file, a shape the image input cannot take', async () => {
    const pair = shapeIdxPair(100, 8);
    const files = (labels: Uint8Array, images = pair.images) => mem({ 'x-images-idx3-ubyte': images, 'x-labels-idx1-ubyte': labels });
    const opts = { target: [8, 8, 1], name: 'x', source: 'x', minImages: 1 };
    expect(await refused(() => prepareFiles(files(idxBytes([99], new Uint8Array(99))), nodeDecoder, opts), 'data.idxLabelsMismatch')).toBe(
      'x-labels-idx1-ubyte has 99 labels for 100 images. Nothing was loaded.',
    );
    expect(await refused(() => prepareFiles(files(pair.labels, pair.images.slice(0, 500)), nodeDecoder, opts), 'data.idxLength')).toBe(
      'x-images-idx3-ubyte is not a readable IDX file: 100×8×8 needs 6416 bytes, but the file has 500. Nothing was loaded.',
    );
    expect(await refused(() => prepareFiles(files(pair.labels), nodeDecoder, { ...opts, target: [64] }), 'data.shapeUnsupported')).toBe(
      'Images must be height×width×1 (grayscale) or height×width×3 (colour); the image input says 64.',
    );
  });

  it('a prepared size over the limit', async () => {
    expect(await refused(() => prepareImages(mem(small), nodeDecoder, { target: [256, 256, 3], name: 's', source: 'm', minImages: 1, limits: { maxPreparedBytes: 1 << 20 } }), 'data.preparedTooLarge')).toBe(
      '40 images of 256×256×3 need 7.5 MB; the limit is 1 MB. Use fewer images or a smaller shape.',
    );
  });

  it('cancelling part-way: data.cancelled, nothing returned', async () => {
    const controller = new AbortController();
    const many = shapeFiles({ perClass: 100, width: 16, height: 16 });
    const msg = await refused(
      () => prepareImages(mem(many), nodeDecoder, { target: [16, 16, 1], name: 's', source: 'm', minImages: 1, signal: controller.signal, onProgress: () => controller.abort() }),
      'data.cancelled',
    );
    expect(msg).toBe('Loading was cancelled. Nothing was changed.');
  });

  it('ids do not collide with datasets already stored', () => {
    expect(datasetId('My Letters!')).toBe('user:my-letters');
    expect(datasetId('글자')).toBe('user:images');
    expect(datasetId('shapes', new Set(['user:shapes', 'user:shapes-2']))).toBe('user:shapes-3');
  });

  it('the same folder loaded again is stored beside the first under a name that tells them apart', async () => {
    const small = shapeFiles({ perClass: 2, width: 8, height: 8 });
    const opts = { target: [8, 8, 1], name: 'shapes', source: 'mem', minImages: 1 };
    expect((await prepareImages(mem(small), nodeDecoder, opts)).meta).toMatchObject({ id: 'user:shapes', name: 'shapes' });
    expect((await prepareImages(mem(small), nodeDecoder, { ...opts, taken: new Set(['user:shapes']) })).meta).toMatchObject({ id: 'user:shapes-2', name: 'shapes (2)' });
    expect(uniqueName('글자', 'user:images-3')).toBe('글자 (3)');
    expect(uniqueName('my-set-2', 'user:my-set-2')).toBe('my-set-2');
  });
});

describe('decodePng (the shared fast PNG path) agrees with pngjs', () => {
  it.each([
    [0, 8],
    [2, 8],
    [4, 8],
    [6, 8],
    [0, 16],
    [6, 16],
  ] as const)('colour type %i, %i-bit', (colorType, bitDepth) => {
    const w = 13;
    const h = 7;
    const rand = (() => {
      let s = 99;
      return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24);
    })();
    const png = new PNG({ width: w, height: h, bitDepth, colorType, inputHasAlpha: true });
    // pngjs takes RGBA input (16-bit: two bytes per sample) and filters rows adaptively, so every filter type occurs.
    const per = bitDepth === 16 ? 8 : 4;
    png.data = Buffer.from(Array.from({ length: w * h * per }, () => rand()));
    const bytes = new Uint8Array(PNG.sync.write(png, { colorType, bitDepth, inputHasAlpha: true }));
    const ref = PNG.sync.read(Buffer.from(bytes));
    const mine = decodePng(bytes);
    expect([mine.width, mine.height]).toEqual([w, h]);
    const a = new Uint8Array(w * h * 3);
    const b = new Uint8Array(w * h * 3);
    fitImage(mine, [h, w, 3], a, 0);
    fitImage({ width: w, height: h, channels: 4, data: ref.data }, [h, w, 3], b, 0);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('damaged data throws (the file is then skipped by name)', () => {
    const bytes = encodePng(drawShape('cross', 20, 20, () => 0.4), 20, 20);
    expect(() => decodePng(bytes.slice(0, 60))).toThrow();
  });
});

describe('every message the data panel can show is in the person\'s language, details included', () => {
  /** Korean with the arguments (file names, sizes) taken out has no English words left but format names. */
  const FORMAT_WORDS = /\b(zip|gzip|IDX|UTF-8|Deflate64|PNG|JPEG|WebP|BMP|GIF|MNIST|MB|KB|GB|bytes)\b/g;
  const koreanOnly = (code: string, args: Record<string, string | number>) => {
    expect(ENGINE_MESSAGES.ko[code], code).toBeDefined();
    let text = engineMessage(code, args, 'ko');
    for (const v of Object.values(args)) text = text.split(String(v)).join(' ');
    return text.replace(FORMAT_WORDS, ' ');
  };
  const codeOf = async (f: () => unknown): Promise<DataError> => {
    try {
      await f();
    } catch (e) {
      if (e instanceof DataError) return e;
      throw e;
    }
    throw new Error('nothing was thrown');
  };

  it('zip, gzip and IDX problems each have their own code and a Korean message with no English in it', async () => {
    const good = zipOf('z', shapeFiles({ perClass: 2, width: 8, height: 8 }));
    // Compression method 99 in every header (an AES-encrypted zip says so).
    const method = good.slice();
    const v = new DataView(method.buffer);
    for (let i = 0; i < method.length - 4; i++) {
      if (v.getUint32(i, true) === 0x02014b50) v.setUint16(i + 10, 99, true);
      if (v.getUint32(i, true) === 0x04034b50) v.setUint16(i + 8, 99, true);
    }
    const pair = shapeIdxPair(10, 8);
    const gz = gzipSync(pair.images);
    /** The first 40 bytes of the gzip with a trailer claiming `size` bytes. */
    const cut = (size: number) => {
      const b = gz.slice(0, 40);
      new DataView(b.buffer).setUint32(36, size, true);
      return b;
    };
    const cases: [() => unknown, string][] = [
      [() => zipFiles(Uint8Array.from([0x50, 0x4b, 3, 4, 1, 2, 3]), 'bad.zip'), 'data.zipCorrupt'],
      [() => zipFiles(method, 'aes.zip'), 'data.zipMethod'],
      [() => maybeGunzip(cut(pair.images.length), 'cut.gz'), 'data.gzipTruncated'],
      [() => maybeGunzip(cut(0xfffffff0), 'cut.gz'), 'data.gzipCorrupt'],
      [() => parseIdx(Uint8Array.from([1, 2, 3, 4]), 'a.idx'), 'data.idxNotIdx'],
      [() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0]), 'f.idx'), 'data.idxType'],
      [() => parseIdx(Uint8Array.from([0, 0, 8, 9]), 'd.idx'), 'data.idxDims'],
      [() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0]), 's.idx'), 'data.idxShort'],
      [() => parseIdx(pair.images.slice(0, 100), 'l.idx'), 'data.idxLength'],
      [() => prepareFiles(mem({ 'x-images-idx1-ubyte': idxBytes([10], new Uint8Array(10)), 'y-images-idx2-ubyte': idxBytes([2, 5], new Uint8Array(10)) }), nodeDecoder, { target: [8, 8, 1], name: 'x', source: 'x', minImages: 1 }), 'data.idxPair'],
    ];
    for (const [f, code] of cases) {
      const e = await codeOf(f);
      expect(e.code, code).toBe(code);
      expect(e.args).not.toHaveProperty('detail');
      expect(koreanOnly(e.code, e.args), code).not.toMatch(/[A-Za-z]{3,}/);
      expect(engineMessage(e.code, e.args, 'en')).not.toMatch(/\{\w+\}/);
    }
    expect(engineMessage('data.zipMethod', (await codeOf(cases[1][0])).args)).toContain('compression method 99');
  });

  it('skipped files: not an image despite the name, a damaged header, undecodable: each named, in Korean too', async () => {
    const png = encodePng(drawShape('circle', 8, 8, () => 0.5), 8, 8);
    const files = { ...shapeFiles({ perClass: 2, width: 8, height: 8 }), 'circle/text.png': 'hello', 'circle/head.png': png.slice(0, 20), 'circle/cut.png': png.slice(0, 60) };
    const ds = await prepareImages(mem(files), nodeDecoder, { target: [8, 8, 1], name: 's', source: 'mem', minImages: 1 });
    expect(ds.meta.report.skipped.map((k) => [k.name, k.code])).toEqual([
      ['circle/cut.png', 'data.skip.undecodable'],
      ['circle/head.png', 'data.skip.badHeader'],
      ['circle/text.png', 'data.skip.notFormat'],
    ]);
    for (const k of ds.meta.report.skipped) expect(koreanOnly(k.code, k.args), k.code).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('every data code raised anywhere (pipeline, store, dataset worker, runner) exists in both languages, with no free-text detail', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const files = [...readdirSync(join(root, 'src/data')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('mnist')).map((f) => `src/data/${f}`), 'src/worker/datasetWorker.ts', 'src/cli/datasetFiles.ts', 'src/ui/data/datasets.ts'];
    const codes = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      for (const m of text.matchAll(/'(data\.[A-Za-z.]+)'/g)) codes.add(m[1]);
      expect(text, f).not.toMatch(/detail:/);
    }
    expect(codes.size).toBeGreaterThan(25);
    for (const c of codes) for (const lang of ['en', 'ko'] as const) expect(ENGINE_MESSAGES[lang][c], `${lang} ${c}`).toBeDefined();
  });
});
