// Browser-side MNIST loading (page or worker): fetch a gzip'd IDX asset that `npm install` prepared into public/,
// decompress it with the platform's DecompressionStream, and verify the published hash.
import { mnistAsset, MnistError, verifiedImages, verifiedLabels, verifyMnistFile, withLabels, type LabeledImages, type MnistFile } from './mnist';
import type { ImageSource } from './imageSource';

/** The decompressed, unverified bytes at `url`. */
async function fetchIdx(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw new MnistError('mnist.missing', { where: url });
  }
  if (!response.ok) throw new MnistError('mnist.missing', { where: url });
  try {
    let bytes = new Uint8Array(await response.arrayBuffer());
    // Servers that label .gz files `Content-Encoding: gzip` (vite preview, some static hosts) make the browser
    // inflate them already; only inflate here when the gzip magic bytes are still there.
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    }
    return bytes;
  } catch (e) {
    throw new MnistError('mnist.corrupt', { where: url, detail: (e as Error).message });
  }
}

/** The verified bytes of one MNIST file served at `url`. */
export async function fetchMnistFile(file: MnistFile, url: string): Promise<Uint8Array> {
  const bytes = await fetchIdx(url);
  await verifyMnistFile(file, bytes, url);
  return bytes;
}

/** `url`: where the asset is served (mnistAsset(file) resolved against the app's base URL). */
export async function fetchMnistTrainImages(url: string): Promise<ImageSource> {
  return verifiedImages('train-images-idx3-ubyte', await fetchIdx(url), url);
}

export async function fetchMnistTestImages(url: string): Promise<ImageSource> {
  return verifiedImages('t10k-images-idx3-ubyte', await fetchIdx(url), url);
}

export async function fetchMnistTrainLabels(url: string): Promise<Uint8Array> {
  return verifiedLabels('train-labels-idx1-ubyte', await fetchIdx(url), url);
}

export async function fetchMnistTestLabels(url: string): Promise<Uint8Array> {
  return verifiedLabels('t10k-labels-idx1-ubyte', await fetchIdx(url), url);
}

/** Images and labels of one split, from the app's base URL (where mnistAsset paths resolve). */
export async function fetchMnistSplit(split: 'train' | 'test', base: string | URL): Promise<LabeledImages> {
  const [imagesFile, labelsFile] = split === 'train' ? (['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'] as const) : (['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const);
  const imagesUrl = new URL(mnistAsset(imagesFile), base).href;
  const labelsUrl = new URL(mnistAsset(labelsFile), base).href;
  const [images, labels] = await Promise.all([
    split === 'train' ? fetchMnistTrainImages(imagesUrl) : fetchMnistTestImages(imagesUrl),
    split === 'train' ? fetchMnistTrainLabels(labelsUrl) : fetchMnistTestLabels(labelsUrl),
  ]);
  return withLabels(images, labels, labelsUrl);
}
