// Where a dataset's files come from, as one list of named byte sources: a folder (read lazily), a zip (fflate, with the
// file-count and expanded-size limits checked against the central directory before anything is inflated), or IDX files
// (raw or gzip'd). Runs anywhere: Node's folder walk lives in src/cli/datasetFiles.ts, the browser's File objects in
// the dataset worker.
import { gunzipSync, unzipSync } from 'fflate';
import { DATA_LIMITS, DataError, formatBytes, type DataLimits } from './dataset';

export interface SourceFile {
  /** Path inside the source, `/`-separated, e.g. `shapes/circle/001.png`: subfolder names become labels. */
  path: string;
  /** Bytes, when known before reading (folders, zips); used for the size limit. */
  size: number;
  read(): Promise<Uint8Array>;
}

/** macOS and Windows leave these beside the images; they are neither images nor worth a "skipped" line. */
export function isSystemFile(path: string): boolean {
  const parts = path.split('/');
  const base = parts[parts.length - 1];
  return parts.some((p) => p === '__MACOSX' || (p.startsWith('.') && p.length > 1)) || base === 'Thumbs.db' || base === 'desktop.ini';
}

/** Applies the file-count and total-size limits to a listed folder (before any file is read). */
export function checkFolderLimits(files: readonly SourceFile[], where: string, limits: DataLimits = DATA_LIMITS): void {
  if (files.length > limits.maxFiles) throw new DataError('data.tooManyFiles', { where, count: files.length, limit: limits.maxFiles });
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > limits.maxBytes) throw new DataError('data.tooLarge', { where, size: formatBytes(total), limit: formatBytes(limits.maxBytes) });
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05) && (b[3] === 0x04 || b[3] === 0x06);
export const isGzip = (b: Uint8Array) => b.length >= 18 && b[0] === 0x1f && b[1] === 0x8b;
export { isZip };

/**
 * The files of a zip. Every entry's declared size is counted against the limits before any is inflated, and fflate
 * inflates each into a buffer of exactly its declared size, so an entry that lies about its size cannot expand further.
 */
export function zipFiles(bytes: Uint8Array, where: string, limits: DataLimits = DATA_LIMITS): SourceFile[] {
  let entries = 0;
  let expanded = 0;
  let files: Record<string, Uint8Array>;
  try {
    // First pass: the central directory only (the filter refuses every entry, so nothing is inflated).
    unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/')) return false;
        entries++;
        expanded += f.originalSize;
        if (entries > limits.maxFiles) throw new DataError('data.tooManyFiles', { where, count: `${limits.maxFiles}+`, limit: limits.maxFiles });
        if (expanded > limits.maxBytes) throw new DataError('data.zipTooLarge', { where, size: `${formatBytes(expanded)}+`, limit: formatBytes(limits.maxBytes) });
        return false;
      },
    });
    files = unzipSync(bytes, { filter: (f) => !f.name.endsWith('/') && !isSystemFile(f.name) });
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw zipError(e, where);
  }
  return Object.entries(files).map(([path, data]) => ({ path, size: data.length, read: async () => data }));
}

/** fflate's numbered errors (its FlateErrorCode) as messages: each says what is wrong in the person's language. */
function zipError(e: unknown, where: string): DataError {
  const code = (e as { code?: number }).code;
  if (code === 0) return new DataError('data.zipTruncated', { where });
  if (code === 8) return new DataError('data.zipNames', { where });
  if (code === 14) return new DataError('data.zipMethod', { where, method: /\d+/.exec((e as Error).message)?.[0] ?? '?' });
  return new DataError('data.zipCorrupt', { where });
}

const MAX_DEFLATE_RATIO = 1032;

/** Gunzips when the gzip magic is there; the declared size (the trailer's ISIZE) is checked against the limit first. */
export function maybeGunzip(bytes: Uint8Array, where: string, limits: DataLimits = DATA_LIMITS): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  const n = bytes.length;
  const declared = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
  // ISIZE is the size mod 2^32, so a >4 GB file may claim less; inflating into a buffer of the claimed size bounds
  // the memory either way, and the IDX length check then finds the truncation.
  // Deflate cannot expand more than ~1,032 : 1, so a larger claim is no real size: the file is cut short or damaged
  // (its last 4 bytes are not a trailer), and "would expand to 3 GB" would send the person the wrong way.
  if (declared > MAX_DEFLATE_RATIO * n + 1024) throw new DataError('data.gzipCorrupt', { where });
  if (declared > limits.maxBytes) throw new DataError('data.zipTooLarge', { where, size: formatBytes(declared), limit: formatBytes(limits.maxBytes) });
  try {
    return gunzipSync(bytes, { out: new Uint8Array(declared) });
  } catch (e) {
    throw new DataError((e as { code?: number }).code === 0 ? 'data.gzipTruncated' : 'data.gzipCorrupt', { where });
  }
}

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** True when the bytes start like an IDX file of unsigned bytes (00 00 08 ndims). */
export const isIdx = (b: Uint8Array): boolean => b.length >= 8 && b[0] === 0 && b[1] === 0 && b[2] === 0x08 && b[3] >= 1 && b[3] <= 4;

/** Parses an IDX file of unsigned bytes (raw; gunzip first): magic 00 00 08 ndims, big-endian dims, then the data. */
export function parseIdx(bytes: Uint8Array, where: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new DataError('data.idxNotIdx', { where });
  if (bytes[2] !== 0x08) throw new DataError('data.idxType', { where, type: bytes[2].toString(16).padStart(2, '0') });
  const ndims = bytes[3];
  if (ndims < 1 || ndims > 4) throw new DataError('data.idxDims', { where, dims: ndims });
  if (bytes.length < 4 + 4 * ndims) throw new DataError('data.idxShort', { where });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = 4 + 4 * ndims + dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected) throw new DataError('data.idxLength', { where, shape: dims.join('×'), expected, found: bytes.length });
  return { dims, data: bytes.subarray(4 + 4 * ndims) };
}
