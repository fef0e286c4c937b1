import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { gridLayout, gridToPng } from './png';

const decode = (bytes: Uint8Array) => PNG.sync.read(Buffer.from(bytes));
// pngjs decodes to RGBA; grayscale puts the same value in R, G and B.
const gray = (png: PNG, x: number, y: number) => png.data[(y * png.width + x) * 4];

describe('gridToPng', () => {
  it('lays 16 images out 4×4 with a one-pixel white gap', () => {
    expect(gridLayout(16, 28)).toEqual({ cols: 4, rows: 4, width: 4 * 28 + 5, height: 4 * 28 + 5 });
    const images = new Float32Array(16 * 784);
    images.fill(0);
    const png = decode(gridToPng(images));
    expect([png.width, png.height]).toEqual([117, 117]);
    expect(gray(png, 0, 0)).toBe(255);
    expect(gray(png, 1, 1)).toBe(0);
    expect(gray(png, 29, 5)).toBe(255);
    expect(gray(png, 30, 5)).toBe(0);
  });

  it('maps [0, 1] to 0..255, clamps the rest, and places each image in row-major order', () => {
    const images = new Float32Array(16 * 784);
    images.fill(0.5, 5 * 784, 6 * 784); // image 5: row 1, column 1
    images[0] = 2; // clamped to white
    images[1] = -1; // clamped to black
    const png = decode(gridToPng(images));
    expect(gray(png, 1, 1)).toBe(255);
    expect(gray(png, 2, 1)).toBe(0);
    expect(gray(png, 1 + 29 + 3, 1 + 29 + 3)).toBe(128);
    expect(gray(png, 1 + 3, 1 + 29 + 3)).toBe(0);
  });

  it('scales each pixel to a block', () => {
    const images = new Float32Array(16 * 784);
    images[0] = 1;
    const png = decode(gridToPng(images, 16, 28, 3));
    expect([png.width, png.height]).toEqual([gridLayout(16, 28, 3).width, 4 * 84 + 15]);
    for (const [x, y] of [[3, 3], [5, 5], [3, 5]]) expect(gray(png, x, y)).toBe(255);
    expect(gray(png, 6, 6)).toBe(0);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => gridToPng(new Float32Array(100))).toThrow(/expected 16×28×28 = 12544 values, got 100/);
  });
});
