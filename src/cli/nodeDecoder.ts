// Image decoding in Node for the headless runner and the tests: pure-JS decoders for PNG (pngFast.ts, else pngjs), JPEG (jpeg-js),
// GIF (omggif, first frame), BMP (bmp-ts) and the Squoosh libwebp build for WebP (@jsquash/webp, wasm). All are runtime
// dependencies because `npm run train -- --data` uses them. The browser decodes with createImageBitmap instead
// (src/data/browserDecoder.ts); both sit behind the same ImageDecoder, so preparation is the same code.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { GifReader } from 'omggif';
import { decode as decodeBmp } from 'bmp-ts';
import type { DecodedImage, ImageDecoder } from '../data/decoder';
import type { ImageFormat } from '../data/formats';
import { withFastPng } from '../data/pngFast';

type WebpDecode = (buffer: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
let webp: Promise<WebpDecode> | undefined;

/** The wasm WebP decoder, loaded on first use (most datasets have no WebP). */
function webpDecoder(): Promise<WebpDecode> {
  webp ??= (async () => {
    const mod = (await import('@jsquash/webp/decode.js')) as unknown as { init(m: WebAssembly.Module): Promise<void>; default: WebpDecode };
    const require = createRequire(import.meta.url);
    const wasm = await WebAssembly.compile(await readFile(require.resolve('@jsquash/webp/codec/dec/webp_dec.wasm')));
    await mod.init(wasm);
    return mod.default;
  })();
  return webp;
}

const platformDecoder: ImageDecoder = {
  async decode(bytes: Uint8Array, format: ImageFormat): Promise<DecodedImage> {
    switch (format) {
      case 'png': {
        const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        return { width: png.width, height: png.height, channels: 4, data: png.data };
      }
      case 'jpeg': {
        const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024, maxResolutionInMP: 100 });
        const channels = img.data.length === img.width * img.height ? 1 : 3;
        return { width: img.width, height: img.height, channels, data: img.data };
      }
      case 'gif': {
        const reader = new GifReader(bytes);
        if (reader.numFrames() < 1) throw new Error('no frames');
        const data = new Uint8Array(reader.width * reader.height * 4);
        reader.decodeAndBlitFrameRGBA(0, data);
        return { width: reader.width, height: reader.height, channels: 4, data };
      }
      case 'bmp': {
        const img = decodeBmp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { toRGBA: true });
        // Without an alpha channel (24-bit and palette BMPs), the decoder's fourth byte is not opacity.
        const hasAlpha = img.bitPP === 32 && (img.compression === 6 || img.compression === 3);
        if (hasAlpha) return { width: img.width, height: img.height, channels: 4, data: img.data };
        const rgb = new Uint8Array(img.width * img.height * 3);
        for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
          rgb[j] = img.data[i];
          rgb[j + 1] = img.data[i + 1];
          rgb[j + 2] = img.data[i + 2];
        }
        return { width: img.width, height: img.height, channels: 3, data: rgb };
      }
      case 'webp': {
        const decode = await webpDecoder();
        const copy = bytes.slice().buffer;
        const img = await decode(copy);
        return { width: img.width, height: img.height, channels: 4, data: img.data };
      }
    }
  },
};

/** PNGs through the shared fast decoder first (pngjs for the interlaced and colour-keyed ones), the rest as above. */
export const nodeDecoder: ImageDecoder = withFastPng(platformDecoder);
