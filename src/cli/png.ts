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
export function gridLayout(n: number, side: number, scale = 1): GridLayout {
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const cell = side * scale;
  return { cols, rows, width: cols * cell + (cols + 1) * scale, height: rows * cell + (rows + 1) * scale };
}

/**
 * `n` grayscale images of side×side values in [0, 1] (row-major, one after another, as TrainingRun's `sample` event
 * delivers them) → PNG bytes of a grid, each pixel drawn as a scale×scale block. 0 is black, 1 white (the seed's
 * cmap='gray'); values outside [0, 1] are clamped.
 */
export function gridToPng(images: Float32Array, n = 16, side = 28, scale = 1): Uint8Array {
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`gridToPng: scale must be a positive integer, got ${scale}`);
  if (images.length !== n * side * side) throw new Error(`gridToPng: expected ${n}×${side}×${side} = ${n * side * side} values, got ${images.length}`);
  const { cols, width, height } = gridLayout(n, side, scale);
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  // With inputColorType 0, pngjs reads one byte per pixel from `data`.
  const gray = Buffer.alloc(width * height, 255);
  const cell = side * scale;
  for (let k = 0; k < n; k++) {
    const ox = scale + (k % cols) * (cell + scale);
    const oy = scale + Math.floor(k / cols) * (cell + scale);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const v = images[k * side * side + r * side + c];
        const byte = Math.round(Math.min(1, Math.max(0, Number.isNaN(v) ? 0 : v)) * 255);
        for (let dy = 0; dy < scale; dy++) gray.fill(byte, (oy + r * scale + dy) * width + ox + c * scale, (oy + r * scale + dy) * width + ox + (c + 1) * scale);
      }
    }
  }
  png.data = gray;
  return new Uint8Array(PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
}
