// The one seam between the preparation pipeline and the platform: the browser decodes with createImageBitmap and an
// OffscreenCanvas (browserDecoder.ts), Node with pure-JS/wasm packages (src/cli/nodeDecoder.ts). Everything after
// decoding (conversion, crop, resize, labels, limits, report) is shared (prepare.ts).
import type { ImageFormat } from './formats';

/** Decoded pixels, row-major, channels interleaved: 1 gray, 3 RGB, 4 RGBA (not premultiplied). */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array | Uint8ClampedArray;
}

export interface ImageDecoder {
  /** Throws when the bytes are not a readable image of `format`; the pipeline names the file and skips it. */
  decode(bytes: Uint8Array, format: ImageFormat): Promise<DecodedImage>;
}
