// A prepared dataset: the learner's own images (or an IDX pair) decoded, converted and resized to one shape, kept as
// uint8 (a quarter of float32's memory), with optional labels and a report of what preparation did. Runs anywhere.
import type { DatasetInfo } from '../graph/datasets';
import type { ImageShape, ImageSource } from './imageSource';

/** What preparation did, so the person sees what was kept, skipped and changed. */
export interface PrepReport {
  /** Files looked at (after system files such as .DS_Store and __MACOSX/ were set aside). */
  files: number;
  /** Images kept. */
  images: number;
  /** Files that were not images at all (by content, not name): skipped and counted, a few named. */
  notImages: { count: number; examples: string[] };
  /** Image files that could not be decoded (or were over the per-image pixel limit): skipped, each named. */
  skipped: { name: string; code: string; args: Record<string, string | number> }[];
  /** Images whose size differed from the target and were cropped/resized. */
  resized: number;
  /** Source sizes seen (`W×H` → count), at most 20 listed. */
  sizes: Record<string, number>;
  /** Images converted from colour to grayscale or from grayscale to RGB. */
  converted: number;
  /** Why there are no labels, when images were found but labels could not be given (message code). */
  labelNote?: string;
  /** Preparation time (decode + convert + resize), ms. */
  ms: number;
}

/** Everything about a dataset but its pixels: what the store's index and the image input's list hold. */
export interface DatasetMeta {
  /** `user:<slug>`; MNIST is `mnist`. */
  id: string;
  name: string;
  /** Where it came from, in words: "folder shapes/ (1,000 files)", "letters.zip", "train-images-idx3-ubyte.gz". */
  source: string;
  shape: ImageShape;
  count: number;
  classNames?: string[];
  /** Images per class, in classNames order. */
  labelCounts?: number[];
  report: PrepReport;
  createdAt: string;
}

/** A dataset as the graph sees it (the catalogue's entry): name, shape and, when it has labels, their class count. */
export function catalogEntry(m: Pick<DatasetMeta, 'id' | 'name' | 'shape' | 'classNames'>): DatasetInfo {
  const info: DatasetInfo = { id: m.id, name: m.name, shape: [...m.shape] };
  if (m.classNames && m.classNames.length > 0) {
    info.classes = m.classNames.length;
    // IDX labels are named by their numbers: nothing to add.
    if (m.classNames.some((c, i) => c !== String(i))) info.classNames = [...m.classNames];
  }
  return info;
}

export interface PreparedDataset extends ImageSource {
  meta: DatasetMeta;
  shape: ImageShape;
}

/** A loading or preparation failure: a message key (src/i18n/messages.ts) and its arguments. Nothing is kept. */
export class DataError extends Error {
  constructor(
    readonly code: string,
    readonly args: Record<string, string | number> = {},
  ) {
    super(`${code}: ${JSON.stringify(args)}`);
    this.name = 'DataError';
  }
}

/**
 * A platform error's identifier for a message's {error}: Node's errno code (ENOENT, EACCES) or a DOMException's name
 * (NotReadableError, QuotaExceededError). Identifiers, not the platform's English sentences, so every language's
 * message stays in that language.
 */
export function errorName(e: unknown): string {
  const err = e as { code?: unknown; name?: unknown } | null;
  if (typeof err?.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(err.code)) return err.code;
  if (typeof err?.name === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(err.name)) return err.name;
  return 'Error';
}

export interface DataLimits {
  /** Files in a folder or entries in a zip. */
  maxFiles: number;
  /** Bytes read from a folder, or bytes a zip (or gzip) expands to. */
  maxBytes: number;
  /** Pixels of one source image (a 20,000×20,000 PNG is a few KB but 1.6 GB decoded). */
  maxImagePixels: number;
  /** Bytes of the prepared uint8 pixels. */
  maxPreparedBytes: number;
}

export const DATA_LIMITS: DataLimits = {
  maxFiles: 100_000,
  maxBytes: 512 * 1024 * 1024,
  maxImagePixels: 40_000_000,
  maxPreparedBytes: 1024 * 1024 * 1024,
};

/** "512 MB", "1.5 KB": sizes in messages (decimal units would confuse next to the limits, so 1 MB = 2^20 bytes). */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v >= 100 || Number.isInteger(v) ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

export const formatImageShape = (s: ImageShape): string => s.join('×');

/** The crop-or-pad policy, stated once for the UI and the CLI (message key `data.policy`). */
export const PREP_POLICY_CODE = 'data.policy';

/** Images per class, in class order. */
export function countLabels(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

const SLUG_MAX = 40;

/**
 * The name to show for a dataset stored under `id`: the same folder loaded twice is "shapes" and "shapes (2)", so
 * the list and the image input's Dataset field can tell them apart.
 */
export function uniqueName(name: string, id: string): string {
  const base = datasetId(name);
  return id !== base && id.startsWith(`${base}-`) ? `${name} (${id.slice(base.length + 1)})` : name;
}

/** A store id for a dataset name: `user:` + a lowercase slug, made unique against `taken`. */
export function datasetId(name: string, taken: ReadonlySet<string> = new Set()): string {
  const slug =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, SLUG_MAX) || 'images';
  let id = `user:${slug}`;
  for (let k = 2; taken.has(id); k++) id = `user:${slug}-${k}`;
  return id;
}
