// Sample grids as PNG files, for the headless runner. Node only (pngjs needs Buffer and zlib): the browser draws grids
// on a canvas instead, so nothing under src/ui may import this module.
import { PNG } from 'pngjs';

export interface GridLayout {
  cols: number;
  rows: number;
  width: number;
  height: number;
}

/** Near-square layout (16 → 4×4) with a `scale`-pixel white gap between images, like matplotlib's subplots. */
export function gridLayout(n: number, side: number, scale = 1, width = side, columns?: number): GridLayout {
  const cols = columns ?? Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  return { cols, rows, width: cols * width * scale + (cols + 1) * scale, height: rows * side * scale + (rows + 1) * scale };
}

/**
 * `n` grayscale images of side×side values in [0, 1] (row-major, one after another, as TrainingRun's `sample` event
 * delivers them) → PNG bytes of a grid, each pixel drawn as a scale×scale block. 0 is black, 1 white (the seed's
 * cmap='gray'); values outside [0, 1] are clamped.
 */
export function gridToPng(images: Float32Array, n = 16, side = 28, scale = 1): Uint8Array {
  return imageGridToPng(images, n, [side, side, 1], scale);
}

/**
 * `n` images of height×width×channels (1 gray, 3 RGB interleaved) with values in [0, 1] → a grid PNG (gray or RGB),
 * each pixel a scale×scale block, white gaps between images.
 */
export function imageGridToPng(images: Float32Array, n: number, shape: readonly number[], scale = 1, columns?: number): Uint8Array {
  const [h, w, c] = shape;
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`gridToPng: scale must be a positive integer, got ${scale}`);
  if (c !== 1 && c !== 3) throw new Error(`gridToPng: images need 1 or 3 channels, got ${c}`);
  const per = h * w * c;
  if (images.length !== n * per) throw new Error(`gridToPng: expected ${n}×${h}×${w}${c === 3 ? '×3' : ''} = ${n * per} values, got ${images.length}`);
  const { cols, width, height } = gridLayout(n, h, scale, w, columns);
  const colorType = c === 1 ? 0 : 2;
  const png = new PNG({ width, height, colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
  // With inputColorType 0 (2), pngjs reads one (three) bytes per pixel from `data`.
  const buf = Buffer.alloc(width * height * c, 255);
  for (let k = 0; k < n; k++) {
    const ox = scale + (k % cols) * (w * scale + scale);
    const oy = scale + Math.floor(k / cols) * (h * scale + scale);
    for (let r = 0; r < h; r++) {
      for (let col = 0; col < w; col++) {
        for (let ch = 0; ch < c; ch++) {
          const v = images[k * per + (r * w + col) * c + ch];
          const byte = Math.round(Math.min(1, Math.max(0, Number.isNaN(v) ? 0 : v)) * 255);
          for (let dy = 0; dy < scale; dy++) {
            const row = (oy + r * scale + dy) * width;
            for (let dx = 0; dx < scale; dx++) buf[(row + ox + col * scale + dx) * c + ch] = byte;
          }
        }
      }
    }
  }
  png.data = buf;
  return new Uint8Array(PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false }));
}

/** uint8 images (0…255) as the [0, 1] values imageGridToPng takes. */
export function bytesToUnit(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 255;
  return out;
}
