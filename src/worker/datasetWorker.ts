// The dataset worker: reads what the person dropped (a folder's files, a zip, IDX files), prepares it off the page
// with the browser's decoders (browserDecoder.ts) and the shared pipeline (prepare.ts), and stores it in IndexedDB.
// Failures post a message code and store nothing, so the datasets already there, and the one in use, stay as they were.
/// <reference lib="webworker" />
import { DataError, DATA_LIMITS, errorName, formatBytes, type PreparedDataset } from '../data/dataset';
import { DatasetStore } from '../data/datasetStore';
import { browserDecoder } from '../data/browserDecoder';
import { withFastPng } from '../data/pngFast';
import { prepareFiles } from '../data/prepare';
import { checkFolderLimits, isZip, zipFiles, type SourceFile } from '../data/sources';
import type { FromDatasetWorker, PickedFile, ToDatasetWorker } from './datasetProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: FromDatasetWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);
let controller: AbortController | undefined;

/** A picked file's bytes; a file moved, deleted or changed since it was picked is named in the message. */
async function readPicked(p: PickedFile): Promise<Uint8Array> {
  try {
    return new Uint8Array(await p.file.arrayBuffer());
  } catch (e) {
    throw new DataError(errorName(e) === 'NotFoundError' ? 'data.fileGone' : 'data.unreadable', { where: p.path, error: errorName(e) });
  }
}

async function sourceFiles(picked: PickedFile[], name: string, limits: typeof DATA_LIMITS): Promise<{ files: SourceFile[]; source: string }> {
  if (picked.length === 1 && /\.zip$/i.test(picked[0].path)) {
    const blob = picked[0].file;
    if (blob.size > limits.maxBytes) throw new DataError('data.tooLarge', { where: picked[0].path, size: formatBytes(blob.size), limit: formatBytes(limits.maxBytes) });
    const bytes = await readPicked(picked[0]);
    if (!isZip(bytes)) throw new DataError('data.zipNotZip', { where: picked[0].path });
    return { files: zipFiles(bytes, picked[0].path, limits), source: picked[0].path };
  }
  const files = picked.map((p) => ({ path: p.path, size: p.file.size, read: () => readPicked(p) }));
  checkFolderLimits(files, name, limits);
  const top = picked[0]?.path.includes('/') ? picked[0].path.split('/')[0] : undefined;
  return { files, source: top ? `folder ${top}/ (${files.length} files)` : `${files.length} files` };
}

/** Up to 8 images per class (or the first 64) for the page's preview grid. */
function previewOf(ds: PreparedDataset): { pixels: Uint8Array; labels: number[] } {
  const picks: number[] = [];
  if (ds.labels && ds.classNames) {
    const per = new Array<number>(ds.classNames.length).fill(0);
    for (let i = 0; i < ds.count && picks.length < 8 * ds.classNames.length && picks.length < 256; i++) {
      if (per[ds.labels[i]] < 8) {
        per[ds.labels[i]]++;
        picks.push(i);
      }
    }
  } else for (let i = 0; i < Math.min(64, ds.count); i++) picks.push(i);
  const pixels = new Uint8Array(picks.length * ds.size);
  picks.forEach((i, k) => pixels.set(ds.pixels.subarray(i * ds.size, (i + 1) * ds.size), k * ds.size));
  return { pixels, labels: picks.map((i) => ds.labels?.[i] ?? 0) };
}

async function prepare(msg: Extract<ToDatasetWorker, { type: 'prepare' }>): Promise<void> {
  controller = new AbortController();
  const limits = { ...DATA_LIMITS, ...msg.limits };
  const store = new DatasetStore();
  const t0 = performance.now();
  post({ type: 'progress', phase: 'reading', done: 0, total: msg.files.length });
  const { files, source } = await sourceFiles(msg.files, msg.name, limits);
  const taken = msg.store ? new Set((await store.list()).map((m) => m.id)) : new Set<string>();
  const t1 = performance.now();
  // PNGs (most datasets) decode synchronously in JS: createImageBitmap's per-call cost dominates for small images.
  const ds = await prepareFiles(files, withFastPng(browserDecoder()), {
    target: msg.target,
    name: msg.name,
    source,
    minImages: msg.minImages,
    limits,
    taken,
    signal: controller.signal,
    onProgress: (p) => post({ type: 'progress', phase: 'decoding', done: p.done, total: p.total }),
  });
  const t2 = performance.now();
  if (msg.store) {
    post({ type: 'progress', phase: 'storing', done: 0, total: 1 });
    await store.save(ds);
  }
  const t3 = performance.now();
  const preview = previewOf(ds);
  post({ type: 'done', meta: ds.meta, preview, ms: { read: t1 - t0, prepare: t2 - t1, store: t3 - t2 } }, [preview.pixels.buffer]);
}

scope.onmessage = (event: MessageEvent<ToDatasetWorker>) => {
  const msg = event.data;
  if (msg.type === 'cancel') {
    controller?.abort();
    return;
  }
  prepare(msg).catch((e: unknown) => {
    if (e instanceof DataError) post({ type: 'error', code: e.code, args: e.args });
    else {
      // A bug, not bad input: the page gets a translated message, the console the details.
      console.error(e);
      post({ type: 'error', code: 'data.unexpected', args: { where: msg.name, error: errorName(e) } });
    }
  });
};
