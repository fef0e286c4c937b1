// Browser-side MNIST loading (page or worker): fetch the gzip'd IDX asset that `npm install` prepared into
// public/, decompress it with the platform's DecompressionStream, and verify the published hash.
import { MnistError, verifiedTrainImages } from './mnist';
import type { ImageSource } from './imageSource';

/** `url`: where the asset is served (MNIST_ASSET resolved against the app's base URL). */
export async function fetchMnistTrainImages(url: string): Promise<ImageSource> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw new MnistError('mnist.missing', { where: url });
  }
  if (!response.ok) throw new MnistError('mnist.missing', { where: url });
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
    // Servers that label .gz files `Content-Encoding: gzip` (vite preview, some static hosts) make the browser
    // inflate them already; only inflate here when the gzip magic bytes are still there.
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
      bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    }
  } catch (e) {
    throw new MnistError('mnist.corrupt', { where: url, detail: (e as Error).message });
  }
  return verifiedTrainImages(bytes, url);
}
