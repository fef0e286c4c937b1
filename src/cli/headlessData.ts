// The runner's own-data path (`--data DIR|ZIP|IDX`): recognise MNIST's own file (which keeps its verified path),
// prepare anything else to the graph's image input shape, point the image input at it, and say what was done.
import { readFile, stat } from 'node:fs/promises';
import { engineMessage } from '../i18n/messages';
import { cloneDocument, type GraphDocument } from '../graph/document';
import { datasetCatalog } from '../graph/datasets';
import { catalogEntry, formatImageShape, type PreparedDataset } from '../data/dataset';
import { MNIST_SHA256, sha256Hex } from '../data/mnist';
import { isZip, maybeGunzip } from '../data/sources';
import { loadDatasetFromPath } from './datasetFiles';
import { bytesToUnit, imageGridToPng } from './png';

/** True when `path` is MNIST's training-images file (raw or gzip'd), by its published SHA-256. */
export async function isMnistTrainImages(path: string): Promise<boolean> {
  const s = await stat(path);
  // MNIST's file is 47,040,016 bytes raw, ~9.9 MB gzip'd: anything else is not worth hashing.
  if (!s.isFile() || s.size > 50_000_000 || s.size < 1_000_000) return false;
  const bytes = await readFile(path);
  if (isZip(bytes)) return false;
  try {
    return (await sha256Hex(maybeGunzip(bytes, path))) === MNIST_SHA256['train-images-idx3-ubyte'];
  } catch {
    return false;
  }
}

/** Prepares `path` to the shape of the graph's image input; undefined when the graph has none (its check says so). */
export async function prepareHeadlessData(doc: GraphDocument, path: string, labels: string | undefined, batchSize: number): Promise<PreparedDataset | undefined> {
  const input = doc.nodes.find((n) => n.type === 'ImageInput');
  if (!input) return undefined;
  const dataset = await loadDatasetFromPath(path, { target: input.params.shape as number[], minImages: batchSize, labels });
  datasetCatalog.set([catalogEntry(dataset.meta)]);
  return dataset;
}

/** The document with its image input reading `dataset` (graph.json records what the run trained on). */
export function withDataset(doc: GraphDocument, dataset: PreparedDataset): GraphDocument {
  const copy = cloneDocument(doc);
  for (const n of copy.nodes) if (n.type === 'ImageInput') n.params.dataset = dataset.meta.id;
  return copy;
}

const MAX_SKIPPED_LINES = 10;

/** What preparation did, as the runner prints it. */
export function datasetSummary(ds: PreparedDataset): string[] {
  const { meta } = ds;
  const r = meta.report;
  const shape = formatImageShape(ds.shape);
  const lines = [`Data: ${meta.count} images from ${meta.source}, prepared to ${shape} in ${(r.ms / 1000).toFixed(1)} s (dataset "${meta.name}")`];
  if (meta.classNames && meta.labelCounts) lines.push(`  labels (${meta.classNames.length}, from ${/IDX|idx|ubyte/.test(meta.source) ? 'the labels file' : 'folder names'}): ${meta.classNames.map((c, i) => `${c} ${meta.labelCounts![i]}`).join(', ')}`);
  else lines.push(`  no labels${r.labelNote ? `: ${engineMessage(r.labelNote)}` : ''}`);
  if (r.resized > 0) {
    const sizes = Object.entries(r.sizes).map(([s, n]) => `${s} ×${n}`).join(', ');
    lines.push(`  ${engineMessage('data.note.resized', { count: r.resized, total: r.images, shape: `${ds.shape[1]}×${ds.shape[0]}`, sizes })}`);
  }
  if (r.notImages.count > 0) lines.push(`  ${engineMessage('data.note.notImages', { count: r.notImages.count, examples: r.notImages.examples.join(', ') })}`);
  for (const s of r.skipped.slice(0, MAX_SKIPPED_LINES)) lines.push(`  ${engineMessage(s.code, s.args)}`);
  if (r.skipped.length > MAX_SKIPPED_LINES) lines.push(`  … and ${r.skipped.length - MAX_SKIPPED_LINES} more unreadable images (all listed in history.json)`);
  lines.push(`  ${engineMessage('data.policy')}`);
  return lines;
}

/** A grid of the prepared images: one row of up to 8 per class when labelled, else the first 64. */
export function datasetPreviewPng(ds: PreparedDataset, scale: number): Uint8Array {
  const per = 8;
  const picks: (number | undefined)[] = [];
  if (ds.labels && ds.classNames && ds.classNames.length <= 16) {
    for (let c = 0; c < ds.classNames.length; c++) {
      const mine: (number | undefined)[] = [];
      for (let i = 0; i < ds.count && mine.length < per; i++) if (ds.labels[i] === c) mine.push(i);
      while (mine.length < per) mine.push(undefined); // a short class leaves its row's end blank
      picks.push(...mine);
    }
  } else for (let i = 0; i < Math.min(per * per, ds.count); i++) picks.push(i);
  const bytes = new Uint8Array(picks.length * ds.size).fill(255);
  picks.forEach((i, k) => i !== undefined && bytes.set(ds.pixels.subarray(i * ds.size, (i + 1) * ds.size), k * ds.size));
  return imageGridToPng(bytesToUnit(bytes), picks.length, ds.shape, scale, Math.min(per, picks.length));
}
