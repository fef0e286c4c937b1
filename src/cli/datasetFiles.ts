// Node-side dataset sources for `npm run train -- --data DIR|FILE.zip|IDX`: a folder walked recursively (listed and
// checked against the limits before any image is read), a zip, or an IDX images file with its labels file beside it.
// Preparation itself is the shared pipeline (src/data/prepare.ts) with the Node decoders.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { DATA_LIMITS, DataError, errorName, formatBytes, type DataLimits, type PreparedDataset } from '../data/dataset';
import { prepareFiles, type PrepareOptions } from '../data/prepare';
import { checkFolderLimits, isZip, zipFiles, type SourceFile } from '../data/sources';
import { nodeDecoder } from './nodeDecoder';

async function walk(root: string, limits: DataLimits): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const top = basename(root);
  const visit = async (dir: string) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new DataError('data.unreadable', { where: dir, error: errorName(e) });
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await visit(full);
      else if (e.isFile()) {
        // Stop listing as soon as the count is over: a folder of millions of files should not be walked to the end.
        if (files.length >= limits.maxFiles) throw new DataError('data.tooManyFiles', { where: root, count: `${limits.maxFiles}+`, limit: limits.maxFiles });
        const size = (await stat(full)).size;
        files.push({ path: [top, ...relative(root, full).split(sep)].join('/'), size, read: () => readFile(full) });
      }
    }
  };
  await visit(root);
  return files;
}

/** The labels file an MNIST-style name implies: train-images-idx3-ubyte(.gz) → train-labels-idx1-ubyte(.gz). */
export function siblingLabels(imagesPath: string): string | undefined {
  const name = basename(imagesPath);
  if (!/images/i.test(name)) return undefined;
  const base = name.replace(/images/i, (m) => (m === 'IMAGES' ? 'LABELS' : 'labels')).replace(/idx3/i, 'idx1').replace(/idx4/i, 'idx1');
  for (const candidate of [base, base.replace(/\.gz$/i, ''), base.endsWith('.gz') ? base : `${base}.gz`]) {
    const p = join(dirname(imagesPath), candidate);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export interface NodeSource {
  files: SourceFile[];
  /** Where it came from, in words. */
  source: string;
  /** A name for the dataset: the folder's or file's. */
  name: string;
}

/** Lists a dataset path's files: a folder, a zip, or an IDX images file (+ `labels`, or the sibling it implies). */
export async function nodeSourceFiles(path: string, options: { labels?: string; limits?: Partial<DataLimits> } = {}): Promise<NodeSource> {
  const limits = { ...DATA_LIMITS, ...options.limits };
  let s;
  try {
    s = await stat(path);
  } catch {
    throw new DataError('data.notFound', { where: path });
  }
  const name = basename(path).replace(/\.(zip|gz)$/i, '');
  if (s.isDirectory()) {
    const files = await walk(path, limits);
    checkFolderLimits(files, path, limits);
    return { files, source: `folder ${basename(path)}/ (${files.length} files)`, name };
  }
  if (s.size > limits.maxBytes) throw new DataError('data.tooLarge', { where: path, size: formatBytes(s.size), limit: formatBytes(limits.maxBytes) });
  const bytes = await readFile(path);
  if (isZip(bytes)) return { files: zipFiles(bytes, basename(path), limits), source: basename(path), name };
  const files: SourceFile[] = [{ path: basename(path), size: bytes.length, read: async () => bytes }];
  const labels = options.labels ?? siblingLabels(path);
  if (labels) {
    let labelBytes: Uint8Array;
    try {
      labelBytes = await readFile(labels);
    } catch {
      throw new DataError('data.notFound', { where: labels });
    }
    files.push({ path: basename(labels), size: labelBytes.length, read: async () => labelBytes });
  }
  return { files, source: labels ? `${basename(path)} + ${basename(labels)}` : basename(path), name: name.replace(/[-_.]?(images?|idx\d|ubyte)/gi, '') || name };
}

/** Reads and prepares a dataset from a path, as the headless runner does. */
export async function loadDatasetFromPath(
  path: string,
  options: Omit<PrepareOptions, 'name' | 'source'> & { labels?: string; name?: string },
): Promise<PreparedDataset> {
  const src = await nodeSourceFiles(path, options);
  return prepareFiles(src.files, nodeDecoder, { ...options, name: options.name ?? src.name, source: src.source });
}
