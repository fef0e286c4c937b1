// MNIST in IDX form: parse, verify against the published SHA-256, and expose images and labels to the trainer and the
// quality meter. Loading is split by environment: src/cli/mnist.ts reads files, mnistFetch.ts fetches the gzip'd
// assets the install prepared.
import type { ImageSource } from './imageSource';

export const MNIST_SHA256 = {
  'train-images-idx3-ubyte': 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  'train-labels-idx1-ubyte': '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  't10k-images-idx3-ubyte': '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  't10k-labels-idx1-ubyte': 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
} as const;

/** The four files of the MNIST distribution, by their original names. */
export type MnistFile = keyof typeof MNIST_SHA256;
export const MNIST_FILES = Object.keys(MNIST_SHA256) as MnistFile[];

/** Path of a file's browser asset, relative to the app's base URL. */
export const mnistAsset = (file: MnistFile): string => `data/mnist/${file}.gz`;

/** Path of the training-image asset, relative to the app's base URL. */
export const MNIST_ASSET = mnistAsset('train-images-idx3-ubyte');

/** Images with one digit label (0–9) per image, in the same order. */
export interface LabeledImages extends ImageSource {
  labels: Uint8Array;
}

export class MnistError extends Error {
  constructor(
    readonly code: 'mnist.missing' | 'mnist.corrupt',
    readonly args: Record<string, string>,
  ) {
    super(`${code}: ${JSON.stringify(args)}`);
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Parses an IDX3 image file (magic 0x00000803, big-endian count, rows, cols, then uint8 pixels). */
export function parseIdxImages(bytes: Uint8Array, where = 'MNIST'): ImageSource & { rows: number; cols: number } {
  if (bytes.length < 16) throw new MnistError('mnist.corrupt', { where, detail: 'file too short' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== 0x803) throw new MnistError('mnist.corrupt', { where, detail: 'not an IDX image file' });
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  if (bytes.length !== 16 + count * rows * cols) throw new MnistError('mnist.corrupt', { where, detail: `expected ${16 + count * rows * cols} bytes, found ${bytes.length}` });
  return { count, rows, cols, size: rows * cols, pixels: bytes.subarray(16) };
}

/** Parses an IDX1 label file (magic 0x00000801, big-endian count, then one uint8 label per item, each 0–9). */
export function parseIdxLabels(bytes: Uint8Array, where = 'MNIST'): Uint8Array {
  if (bytes.length < 8) throw new MnistError('mnist.corrupt', { where, detail: 'file too short' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== 0x801) throw new MnistError('mnist.corrupt', { where, detail: 'not an IDX label file' });
  const count = view.getUint32(4);
  if (bytes.length !== 8 + count) throw new MnistError('mnist.corrupt', { where, detail: `expected ${8 + count} bytes, found ${bytes.length}` });
  const labels = bytes.subarray(8);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new MnistError('mnist.corrupt', { where, detail: `label ${bad} is ${labels[bad]}, not a digit` });
  return labels;
}

/** Throws mnist.corrupt unless `bytes` (decompressed) hash to the published SHA-256 of `file`. */
export async function verifyMnistFile(file: MnistFile, bytes: Uint8Array, where: string): Promise<void> {
  const hash = await sha256Hex(bytes);
  if (hash !== MNIST_SHA256[file]) throw new MnistError('mnist.corrupt', { where, detail: `SHA-256 ${hash.slice(0, 12)}… does not match` });
}

/** Verifies the decompressed training-image file against its published hash, then parses it. */
export async function verifiedTrainImages(bytes: Uint8Array, where: string): Promise<ImageSource> {
  return verifiedImages('train-images-idx3-ubyte', bytes, where);
}

/** Verifies an image file (training or test) against its published hash, then parses it. */
export async function verifiedImages(file: 'train-images-idx3-ubyte' | 't10k-images-idx3-ubyte', bytes: Uint8Array, where: string): Promise<ImageSource> {
  await verifyMnistFile(file, bytes, where);
  return parseIdxImages(bytes, where);
}

/** Verifies a label file (training or test) against its published hash, then parses it. */
export async function verifiedLabels(file: 'train-labels-idx1-ubyte' | 't10k-labels-idx1-ubyte', bytes: Uint8Array, where: string): Promise<Uint8Array> {
  await verifyMnistFile(file, bytes, where);
  return parseIdxLabels(bytes, where);
}

/** Pairs images with their labels; the counts must agree. */
export function withLabels(images: ImageSource, labels: Uint8Array, where: string): LabeledImages {
  if (labels.length !== images.count) throw new MnistError('mnist.corrupt', { where, detail: `${images.count} images but ${labels.length} labels` });
  return { ...images, labels };
}
