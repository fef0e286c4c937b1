// Browser-side MNIST loading (page or worker): fetch the gzip'd IDX asset that `npm install` prepared into
// public/, decompress it with the platform's DecompressionStream, and verify the published hash.
import { MNIST_ASSET, MnistError, verifiedTrainImages } from './mnist';
import type { ImageSource } from './trainer';

export async function fetchMnistTrainImages(baseUrl: string): Promise<ImageSource> {
  const url = new URL(MNIST_ASSET, baseUrl).href;
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw new MnistError('mnist.missing', { where: url });
  }
  if (!response.ok || !response.body) throw new MnistError('mnist.missing', { where: url });
  let bytes: Uint8Array;
  try {
    const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new MnistError('mnist.corrupt', { where: url, detail: (e as Error).message });
  }
  return verifiedTrainImages(bytes, url);
}
