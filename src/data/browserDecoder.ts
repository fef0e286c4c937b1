// Image decoding in the browser (a worker or the page): the browser's own decoders through createImageBitmap, read
// back through an OffscreenCanvas. Covers PNG, JPEG, WebP, BMP and GIF (its first frame). The pixels then go through
// the same preparation as in Node (prepare.ts), so the crop/resize/convert policy is one piece of code.
import type { DecodedImage, ImageDecoder } from './decoder';
import type { ImageFormat } from './formats';

const MIME: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', bmp: 'image/bmp', webp: 'image/webp' };

export function browserDecoder(): ImageDecoder {
  // One canvas per size seen: datasets are mostly one size, and a new canvas per image is the slow part.
  const canvases = new Map<string, OffscreenCanvasRenderingContext2D>();
  const contextFor = (w: number, h: number): OffscreenCanvasRenderingContext2D => {
    const key = `${w}x${h}`;
    let ctx = canvases.get(key);
    if (!ctx) {
      if (canvases.size > 16) canvases.clear();
      const c = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
      if (!c) throw new Error('no 2d canvas in this browser');
      ctx = c;
      canvases.set(key, ctx);
    }
    return ctx;
  };
  return {
    async decode(bytes: Uint8Array, format: ImageFormat): Promise<DecodedImage> {
      // Exact values: no colour-space conversion, no premultiplication (transparency is composited later, on white).
      const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: MIME[format] }), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
      try {
        const { width, height } = bitmap;
        const ctx = contextFor(width, height);
        ctx.clearRect(0, 0, width, height);
        ctx.drawImage(bitmap, 0, 0);
        const data = ctx.getImageData(0, 0, width, height).data;
        return { width, height, channels: 4, data };
      } finally {
        bitmap.close();
      }
    },
  };
}
