// MNIST in IDX form: parse, verify against the published SHA-256, and expose the training images to the trainer.
// Loading is split by environment: mnistNode.ts reads files, the browser fetches the gzip'd asset the install prepared.
import type { ImageSource } from './imageSource';

export const MNIST_SHA256 = {
  'train-images-idx3-ubyte': 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  'train-labels-idx1-ubyte': '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  't10k-images-idx3-ubyte': '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  't10k-labels-idx1-ubyte': 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
} as const;

/** Path of the browser asset, relative to the app's base URL. */
export const MNIST_ASSET = 'data/mnist/train-images-idx3-ubyte.gz';

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

/** Verifies the decompressed training-image file against its published hash, then parses it. */
export async function verifiedTrainImages(bytes: Uint8Array, where: string): Promise<ImageSource> {
  const hash = await sha256Hex(bytes);
  if (hash !== MNIST_SHA256['train-images-idx3-ubyte']) throw new MnistError('mnist.corrupt', { where, detail: `SHA-256 ${hash.slice(0, 12)}… does not match` });
  return parseIdxImages(bytes, where);
}
