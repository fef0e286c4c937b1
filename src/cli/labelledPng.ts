// A conditional GAN's sample grid as PNG, each cell under its caption ("Digit: 7"), as the book's 2×5 subplots with
// titles. Node only (pngjs), like png.ts.
import { PNG } from 'pngjs';
import { drawText, GLYPH_HEIGHT, textWidth } from './bitmapFont';

export interface LabelledGrid {
  /** `captions.length` grayscale images of side×side values in [0, 1], row-major, one after another. */
  images: Float32Array;
  captions: string[];
  cols: number;
  side: number;
  /** Screen pixels per image pixel; captions are drawn at half of it (at least 1), so they fit a 28-pixel cell. */
  scale: number;
}

export function labelledGridLayout(n: number, cols: number, side: number, scale: number) {
  const rows = Math.ceil(n / cols);
  const cell = side * scale;
  const textScale = Math.max(1, Math.floor(scale / 2));
  // A caption band above each cell: the glyphs plus one text pixel of air above and below.
  const band = (GLYPH_HEIGHT + 2) * textScale;
  return { rows, cell, textScale, band, width: cols * cell + (cols + 1) * scale, height: rows * (cell + band) + (rows + 1) * scale };
}

export function labelledGridToPng({ images, captions, cols, side, scale }: LabelledGrid): Uint8Array {
  const n = captions.length;
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`labelledGridToPng: scale must be a positive integer, got ${scale}`);
  if (images.length !== n * side * side) throw new Error(`labelledGridToPng: expected ${n}×${side}×${side} values, got ${images.length}`);
  const { cell, textScale, band, width, height } = labelledGridLayout(n, cols, side, scale);
  const gray = Buffer.alloc(width * height, 255);
  for (let k = 0; k < n; k++) {
    const ox = scale + (k % cols) * (cell + scale);
    const top = scale + Math.floor(k / cols) * (cell + band + scale);
    // Caption centred over its cell, black on white.
    const tx = ox + Math.max(0, Math.floor((cell - textWidth(captions[k]) * textScale) / 2));
    drawText(captions[k], (x, y) => {
      for (let dy = 0; dy < textScale; dy++) {
        const px = tx + x * textScale;
        const py = top + textScale + y * textScale + dy;
        if (py < height && px < width) gray.fill(0, py * width + px, Math.min(py * width + px + textScale, (py + 1) * width));
      }
    });
    const oy = top + band;
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const v = images[k * side * side + r * side + c];
        const byte = Math.round(Math.min(1, Math.max(0, Number.isNaN(v) ? 0 : v)) * 255);
        for (let dy = 0; dy < scale; dy++) gray.fill(byte, (oy + r * scale + dy) * width + ox + c * scale, (oy + r * scale + dy) * width + ox + (c + 1) * scale);
      }
    }
  }
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  png.data = gray;
  return new Uint8Array(PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
}
