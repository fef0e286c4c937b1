// Datasets the tests make themselves (Node only): coloured shapes drawn into PNGs in labelled folders, a zip of them,
// and IDX pairs. Deterministic for a seed, so tests can compare what each source yields.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, zipSync, type Zippable } from 'fflate';
import { PNG } from 'pngjs';

export const SHAPE_CLASSES = ['circle', 'cross', 'square', 'triangle'] as const;
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** One w×h RGBA image of `shape` in a random colour on a dark background. */
export function drawShape(shape: ShapeClass, w: number, h: number, rand: () => number): Uint8Array {
  const data = new Uint8Array(w * h * 4);
  const fg = [80 + Math.floor(rand() * 175), 80 + Math.floor(rand() * 175), 80 + Math.floor(rand() * 175)];
  const cx = w / 2 + (rand() - 0.5) * w * 0.2;
  const cy = h / 2 + (rand() - 0.5) * h * 0.2;
  const r = Math.min(w, h) * (0.25 + rand() * 0.15);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      let inside: boolean;
      if (shape === 'circle') inside = dx * dx + dy * dy <= r * r;
      else if (shape === 'square') inside = Math.abs(dx) <= r * 0.85 && Math.abs(dy) <= r * 0.85;
      else if (shape === 'cross') inside = (Math.abs(dx) <= r * 0.3 && Math.abs(dy) <= r) || (Math.abs(dy) <= r * 0.3 && Math.abs(dx) <= r);
      else inside = dy <= r * 0.8 && dy >= -r && Math.abs(dx) <= ((dy + r) / (1.8 * r)) * r;
      const o = (y * w + x) * 4;
      data[o] = inside ? fg[0] : 10;
      data[o + 1] = inside ? fg[1] : 10;
      data[o + 2] = inside ? fg[2] : 20;
      data[o + 3] = 255;
    }
  }
  return data;
}

export function encodePng(rgba: Uint8Array, w: number, h: number, colorType: 0 | 2 | 6 = 6): Uint8Array {
  const png = new PNG({ width: w, height: h });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return new Uint8Array(PNG.sync.write(png, { colorType }));
}

export interface ShapeSetOptions {
  perClass: number;
  width?: number;
  height?: number;
  seed?: number;
  /** Every k-th image gets another size (to exercise resizing); 0 = none. */
  oddSizeEvery?: number;
  /** PNG colour type: 6 RGBA, 2 RGB, 0 gray. */
  colorType?: 0 | 2 | 6;
}

/** `{ 'circle/0000.png': bytes, … }`: perClass images per shape class. */
export function shapeFiles(o: ShapeSetOptions): Record<string, Uint8Array> {
  const rand = lcg(o.seed ?? 1);
  const w = o.width ?? 32;
  const h = o.height ?? 32;
  const files: Record<string, Uint8Array> = {};
  for (const cls of SHAPE_CLASSES) {
    for (let i = 0; i < o.perClass; i++) {
      const odd = o.oddSizeEvery && i % o.oddSizeEvery === o.oddSizeEvery - 1;
      const [iw, ih] = odd ? [w + 13, h + 5] : [w, h];
      files[`${cls}/${String(i).padStart(4, '0')}.png`] = encodePng(drawShape(cls, iw, ih, rand), iw, ih, o.colorType ?? 6);
    }
  }
  return files;
}

/** Writes files (relative paths) under `dir`. */
export function writeTree(dir: string, files: Record<string, Uint8Array | string>): void {
  for (const [path, data] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, data);
  }
}

/** A zip of the files under one top folder, as people zip a folder. */
export function zipOf(top: string, files: Record<string, Uint8Array | string>): Uint8Array {
  const tree: Zippable = {};
  for (const [path, data] of Object.entries(files)) tree[`${top}/${path}`] = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return zipSync(tree, { level: 6 });
}

/** IDX bytes (unsigned bytes) for dims and data. */
export function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** An IDX images/labels pair of gray shapes, n images of side×side, label = shape class index. */
export function shapeIdxPair(n: number, side = 28, seed = 3): { images: Uint8Array; labels: Uint8Array; pixels: Uint8Array; labelValues: Uint8Array } {
  const rand = lcg(seed);
  const pixels = new Uint8Array(n * side * side);
  const labelValues = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % SHAPE_CLASSES.length;
    const rgba = drawShape(SHAPE_CLASSES[cls], side, side, rand);
    for (let p = 0; p < side * side; p++) pixels[i * side * side + p] = rgba[p * 4 + 1];
    labelValues[i] = cls;
  }
  return { images: idxBytes([n, side, side], pixels), labels: idxBytes([n], labelValues), pixels, labelValues };
}

export { gzipSync };
