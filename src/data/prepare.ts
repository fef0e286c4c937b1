// The preparation pipeline shared by the browser's dataset worker and the headless runner: sort out what is an image,
// decode (through the platform's ImageDecoder), convert and fit each image to the target shape, take labels from
// subfolder names or an IDX label file, enforce the limits, and report. A failure throws a DataError and returns
// nothing, so whatever dataset was in use before stays as it was.
import { DATA_LIMITS, DataError, countLabels, datasetId, uniqueName, formatBytes, formatImageShape, type DataLimits, type PrepReport, type PreparedDataset } from './dataset';
import type { ImageDecoder } from './decoder';
import { IMAGE_EXTENSIONS, headerSize, sniffFormat } from './formats';
import type { ImageShape } from './imageSource';
import { fitImage } from './resample';
import { isIdx, isSystemFile, maybeGunzip, parseIdx, type SourceFile } from './sources';

export interface PrepProgress {
  phase: 'decoding';
  done: number;
  total: number;
}

export interface PrepareOptions {
  /** The image input's shape: height × width × 1 or 3. */
  target: readonly number[];
  name: string;
  /** Where it came from, in words, for the dataset list. */
  source: string;
  /** Fewer usable images than this (one batch) is refused. */
  minImages: number;
  limits?: Partial<DataLimits>;
  /** Ids already in use, so the new one does not replace another dataset. */
  taken?: ReadonlySet<string>;
  onProgress?(p: PrepProgress): void;
  signal?: AbortSignal;
  /** Files read and decoded at once (file reads and createImageBitmap overlap; the PNG and Node decoders are synchronous). */
  concurrency?: number;
}

/** Checks the target is H×W×1 or H×W×3. */
export function imageShapeOf(target: readonly number[]): ImageShape {
  const [h, w, c] = target;
  if (target.length !== 3 || !(c === 1 || c === 3) || !Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new DataError('data.shapeUnsupported', { shape: target.join('×') });
  }
  return [h, w, c];
}

const MAX_LISTED_SIZES = 20;
const MAX_NOT_IMAGE_EXAMPLES = 5;

/** Prepares a dataset from any files: an IDX pair when there are IDX files among them, else the images. */
export async function prepareFiles(files: readonly SourceFile[], decoder: ImageDecoder, options: PrepareOptions): Promise<PreparedDataset> {
  const idx: { file: SourceFile; bytes: Uint8Array }[] = [];
  const limits = { ...DATA_LIMITS, ...options.limits };
  // IDX files are few and are recognised by content; a cheap look at names first avoids reading every image twice.
  for (const f of files) {
    if (IMAGE_EXTENSIONS.test(f.path) || isSystemFile(f.path)) continue;
    if (!/idx\d-ubyte|\.idx\d?(\.gz)?$|ubyte(\.gz)?$/i.test(f.path)) continue;
    const bytes = maybeGunzip(await f.read(), f.path, limits);
    if (isIdx(bytes)) idx.push({ file: f, bytes });
  }
  if (idx.length > 0) {
    const parsed = idx.map(({ file, bytes }) => ({ path: file.path, arr: parseIdx(bytes, file.path) }));
    const images = parsed.filter((p) => p.arr.dims.length >= 3);
    const labels = parsed.filter((p) => p.arr.dims.length === 1);
    if (images.length !== 1 || labels.length > 1) throw new DataError('data.idxPair', { images: images.length, labels: labels.length });
    return prepareIdxArrays(images[0], labels[0], options);
  }
  return prepareImages(files, decoder, options);
}

/** Prepares IDX arrays: images N×H×W (grayscale) or N×H×W×C (C = 1 or 3), labels N. */
export function prepareIdxArrays(
  images: { path: string; arr: { dims: number[]; data: Uint8Array } },
  labels: { path: string; arr: { dims: number[]; data: Uint8Array } } | undefined,
  options: PrepareOptions,
): PreparedDataset {
  const t0 = performance.now();
  const target = imageShapeOf(options.target);
  const limits = { ...DATA_LIMITS, ...options.limits };
  const { dims, data } = images.arr;
  const [n, h, w] = dims;
  const c = dims.length === 4 ? dims[3] : 1;
  if (dims.length < 3 || !(c === 1 || c === 3)) throw new DataError('data.idxNotImages', { where: images.path, shape: dims.join('×') });
  if (labels && labels.arr.dims[0] !== n) throw new DataError('data.idxLabelsMismatch', { where: labels.path, labels: labels.arr.dims[0], images: n });
  const size = target[0] * target[1] * target[2];
  checkPreparedSize(n, target, limits);
  if (n < options.minImages) throw new DataError('data.tooFew', { count: n, batch: options.minImages });
  let pixels: Uint8Array;
  let resized = 0;
  let converted = 0;
  if (h === target[0] && w === target[1] && c === target[2]) pixels = data;
  else {
    pixels = new Uint8Array(n * size);
    const one = h * w * c;
    for (let i = 0; i < n; i++) {
      const r = fitImage({ width: w, height: h, channels: c, data: data.subarray(i * one, (i + 1) * one) }, target, pixels, i * size);
      if (r.resized) resized++;
      if (r.converted) converted++;
      if (i % 1000 === 999) options.onProgress?.({ phase: 'decoding', done: i + 1, total: n });
    }
  }
  options.onProgress?.({ phase: 'decoding', done: n, total: n });
  const report: PrepReport = { files: labels ? 2 : 1, images: n, notImages: { count: 0, examples: [] }, skipped: [], resized, sizes: { [`${w}×${h}`]: n }, converted, ms: Math.round(performance.now() - t0) };
  let labelArray: Uint8Array | undefined;
  let classNames: string[] | undefined;
  if (labels) {
    labelArray = labels.arr.data;
    let max = 0;
    for (let i = 0; i < labelArray.length; i++) if (labelArray[i] > max) max = labelArray[i];
    classNames = Array.from({ length: max + 1 }, (_, i) => String(i));
  }
  return finish(pixels, n, target, labelArray, classNames, report, options);
}

function checkPreparedSize(n: number, target: ImageShape, limits: DataLimits): void {
  const bytes = n * target[0] * target[1] * target[2];
  if (bytes > limits.maxPreparedBytes) {
    throw new DataError('data.preparedTooLarge', { count: n, shape: formatImageShape(target), size: formatBytes(bytes), limit: formatBytes(limits.maxPreparedBytes) });
  }
}

/** Prepares image files (PNG, JPEG, WebP, BMP, GIF's first frame): every other file is skipped and counted. */
export async function prepareImages(files: readonly SourceFile[], decoder: ImageDecoder, options: PrepareOptions): Promise<PreparedDataset> {
  const t0 = performance.now();
  const target = imageShapeOf(options.target);
  const limits = { ...DATA_LIMITS, ...options.limits };
  const size = target[0] * target[1] * target[2];
  const candidates = files.filter((f) => !isSystemFile(f.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (candidates.length > limits.maxFiles) throw new DataError('data.tooManyFiles', { where: options.source, count: candidates.length, limit: limits.maxFiles });
  checkPreparedSize(candidates.length, target, limits);

  const pixels = new Uint8Array(candidates.length * size);
  const kept = new Uint8Array(candidates.length);
  const report: PrepReport = { files: candidates.length, images: 0, notImages: { count: 0, examples: [] }, skipped: [], resized: 0, sizes: {}, converted: 0, ms: 0 };
  let done = 0;
  let lastProgress = 0;
  const progress = (force = false) => {
    const now = performance.now();
    if (!force && now - lastProgress < 50) return;
    lastProgress = now;
    options.onProgress?.({ phase: 'decoding', done, total: candidates.length });
  };
  const one = async (i: number) => {
    if (options.signal?.aborted) throw new DataError('data.cancelled');
    const file = candidates[i];
    const bytes = await file.read();
    const format = sniffFormat(bytes);
    const ext = /\.([^./]+)$/.exec(file.path)?.[1]?.toLowerCase() ?? '';
    if (!format) {
      if (IMAGE_EXTENSIONS.test(file.path)) report.skipped.push({ name: file.path, code: 'data.skip.notFormat', args: { name: file.path, format: ext.toUpperCase() } });
      else {
        report.notImages.count++;
        if (report.notImages.examples.length < MAX_NOT_IMAGE_EXAMPLES) report.notImages.examples.push(file.path);
      }
      return;
    }
    const dims = headerSize(bytes, format);
    if (!dims) {
      report.skipped.push({ name: file.path, code: 'data.skip.badHeader', args: { name: file.path, format: format.toUpperCase() } });
      return;
    }
    if (dims.width * dims.height > limits.maxImagePixels) {
      report.skipped.push({ name: file.path, code: 'data.skip.tooBig', args: { name: file.path, width: dims.width, height: dims.height, limit: limits.maxImagePixels / 1e6 } });
      return;
    }
    let img;
    try {
      img = await decoder.decode(bytes, format);
    } catch {
      // The decoder's own words (the browser's, a Node package's) are English and technical: the code says it all.
      report.skipped.push({ name: file.path, code: 'data.skip.undecodable', args: { name: file.path, format: format.toUpperCase() } });
      return;
    }
    const key = `${img.width}×${img.height}`;
    if (key in report.sizes || Object.keys(report.sizes).length < MAX_LISTED_SIZES) report.sizes[key] = (report.sizes[key] ?? 0) + 1;
    const r = fitImage(img, target, pixels, i * size);
    if (r.resized) report.resized++;
    if (r.converted) report.converted++;
    kept[i] = 1;
  };
  let lastYield = performance.now();
  await pool(candidates.length, options.concurrency ?? 16, async (i) => {
    await one(i);
    done++;
    progress();
    // Files already in memory (a zip) resolve in microtasks: give the worker's message queue (Cancel) a turn now and then.
    if (performance.now() - lastYield > 50) {
      lastYield = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  });
  progress(true);

  // Compact: the kept images, in path order.
  let n = 0;
  for (let i = 0; i < candidates.length; i++) {
    if (!kept[i]) continue;
    if (n !== i) pixels.copyWithin(n * size, i * size, (i + 1) * size);
    n++;
  }
  report.images = n;
  report.skipped.sort((a, b) => (a.name < b.name ? -1 : 1));
  if (n === 0) throw new DataError('data.noImages', { where: options.source, notImages: report.notImages.count, skipped: report.skipped.length });
  if (n < options.minImages) throw new DataError('data.tooFew', { count: n, batch: options.minImages });

  const keptPaths = candidates.filter((_, i) => kept[i]).map((f) => f.path.split('/').filter((s) => s.length > 0));
  const { labels, classNames, note } = folderLabels(keptPaths);
  report.labelNote = note;
  report.ms = Math.round(performance.now() - t0);
  return finish(n === candidates.length ? pixels : pixels.slice(0, n * size), n, target, labels, classNames, report, options);
}

/**
 * Labels from folder names: the first folder below the folders every image shares (so there are at least two
 * classes). All images must sit in a class folder for there to be labels; a mix gets none (and a note), since a wrong label teaches a conditional GAN nonsense.
 */
export function folderLabels(paths: string[][]): { labels?: Uint8Array | Uint16Array; classNames?: string[]; note?: string } {
  let depth = 0;
  // Strip the folders every image shares (the dropped folder itself, a zip's top folder): one class is no label.
  while (paths.every((p) => p.length >= depth + 2 && p[depth] === paths[0][depth])) depth++;
  const inFolders = paths.filter((p) => p.length >= depth + 2).length;
  if (inFolders === 0) return {};
  if (inFolders < paths.length) return { note: 'data.note.mixedLabels' };
  const classNames = [...new Set(paths.map((p) => p[depth]))].sort();
  if (classNames.length > 65_536) return { note: 'data.note.tooManyClasses' };
  const index = new Map(classNames.map((c, i) => [c, i]));
  const labels = classNames.length <= 256 ? new Uint8Array(paths.length) : new Uint16Array(paths.length);
  paths.forEach((p, i) => (labels[i] = index.get(p[depth])!));
  return { labels, classNames };
}

function finish(
  pixels: Uint8Array,
  count: number,
  shape: ImageShape,
  labels: Uint8Array | Uint16Array | undefined,
  classNames: string[] | undefined,
  report: PrepReport,
  options: PrepareOptions,
): PreparedDataset {
  const id = datasetId(options.name, options.taken);
  const meta = {
    id,
    name: uniqueName(options.name, id),
    source: options.source,
    shape,
    count,
    classNames,
    labelCounts: labels && classNames ? countLabels(labels, classNames.length) : undefined,
    report,
    createdAt: new Date().toISOString(),
  };
  return { meta, shape, count, size: shape[0] * shape[1] * shape[2], pixels, labels, classNames };
}

/** Runs task(0…n−1) with at most `k` in flight; the first error stops new tasks and is rethrown. */
async function pool(n: number, k: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < n) {
      const i = next++;
      try {
        await task(i);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(k, n) }, worker));
  if (failed !== undefined) throw failed;
}
