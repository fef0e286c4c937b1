// A small synchronous PNG decoder (fflate's inflate + the five scanline filters) for the common case of datasets:
// non-interlaced PNGs of any colour type and bit depth. For tiny images (28×28) it is several times faster than a
// round trip through createImageBitmap, which costs about a millisecond per image whatever its size. Anything it does
// not take (interlaced files) goes to the platform decoder; damaged files throw and are reported by name.
import { unzlibSync } from 'fflate';
import type { DecodedImage, ImageDecoder } from './decoder';

export class PngUnsupported extends Error {}

const be32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

export function decodePng(b: Uint8Array): DecodedImage {
  let at = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = 0;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatLength = 0;
  while (at + 8 <= b.length) {
    const len = be32(b, at);
    const type = String.fromCharCode(b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
    const data = b.subarray(at + 8, at + 8 + len);
    if (data.length < len) throw new Error(`${type} chunk cut short`);
    if (type === 'IHDR') {
      width = be32(data, 0);
      height = be32(data, 4);
      depth = data[8];
      colorType = data[9];
      if (data[12] !== 0) throw new PngUnsupported('interlaced');
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') {
      idat.push(data);
      idatLength += len;
    } else if (type === 'IEND') break;
    at += 12 + len;
  }
  if (width === 0 || height === 0) throw new Error('no IHDR');
  if (idat.length === 0) throw new Error('no image data');
  const samples = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (samples === undefined || ![1, 2, 4, 8, 16].includes(depth)) throw new Error(`colour type ${colorType}, bit depth ${depth}`);
  // A transparent colour key on gray or RGB images is rare: the platform decoder handles it.
  if (trns && (colorType === 0 || colorType === 2)) throw new PngUnsupported('tRNS colour key');
  let compressed: Uint8Array;
  if (idat.length === 1) compressed = idat[0];
  else {
    compressed = new Uint8Array(idatLength);
    let o = 0;
    for (const d of idat) {
      compressed.set(d, o);
      o += d.length;
    }
  }
  const bitsPerPixel = samples * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const expected = (stride + 1) * height;
  const raw = unzlibSync(compressed, { out: new Uint8Array(expected) });
  if (raw.length < expected) throw new Error(`image data cut short (${raw.length} of ${expected} bytes)`);
  // Unfilter in place, row by row (each row: filter byte + stride bytes).
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    const up = dst - stride;
    for (let x = 0; x < stride; x++) {
      const v = raw[src + x];
      const a = x >= bpp ? rows[dst + x - bpp] : 0;
      const c = y > 0 ? rows[up + x] : 0;
      let r: number;
      switch (filter) {
        case 0:
          r = v;
          break;
        case 1:
          r = v + a;
          break;
        case 2:
          r = v + c;
          break;
        case 3:
          r = v + ((a + c) >> 1);
          break;
        case 4: {
          const d = x >= bpp && y > 0 ? rows[up + x - bpp] : 0;
          const p = a + c - d;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - c);
          const pc = Math.abs(p - d);
          r = v + (pa <= pb && pa <= pc ? a : pb <= pc ? c : d);
          break;
        }
        default:
          throw new Error(`unknown filter ${filter} on row ${y}`);
      }
      rows[dst + x] = r;
    }
  }
  // Samples to 8 bits: 16-bit rounded (v / 257, as pngjs does), low depths scaled to 0…255.
  const n = width * height;
  const sample = (y: number, i: number): number => {
    if (depth === 8) return rows[y * stride + i];
    if (depth === 16) return Math.round(((rows[y * stride + i * 2] << 8) | rows[y * stride + i * 2 + 1]) / 257);
    const bit = i * depth;
    const v = (rows[y * stride + (bit >> 3)] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    return colorType === 3 ? v : Math.round((v * 255) / ((1 << depth) - 1));
  };
  if (colorType === 0 && depth === 8) return { width, height, channels: 1, data: rows };
  if (colorType === 2 && depth === 8) return { width, height, channels: 3, data: rows };
  if (colorType === 6 && depth === 8) return { width, height, channels: 4, data: rows };
  const out = new Uint8Array(n * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const s = x * samples;
      let r: number, g: number, bl: number, al = 255;
      if (colorType === 3) {
        const idx = sample(y, s);
        if (!palette || idx * 3 + 2 >= palette.length) throw new Error(`palette index ${idx} out of range`);
        r = palette[idx * 3];
        g = palette[idx * 3 + 1];
        bl = palette[idx * 3 + 2];
        if (trns && idx < trns.length) al = trns[idx];
      } else if (colorType === 0 || colorType === 4) {
        r = g = bl = sample(y, s);
        if (colorType === 4) al = sample(y, s + 1);
      } else {
        r = sample(y, s);
        g = sample(y, s + 1);
        bl = sample(y, s + 2);
        if (colorType === 6) al = sample(y, s + 3);
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = bl;
      out[o + 3] = al;
    }
  }
  return { width, height, channels: 4, data: out };
}

/** `platform` with PNGs decoded by decodePng first (interlaced ones still go to `platform`). */
export function withFastPng(platform: ImageDecoder): ImageDecoder {
  return {
    async decode(bytes, format) {
      if (format === 'png') {
        try {
          return decodePng(bytes);
        } catch (e) {
          if (!(e instanceof PngUnsupported)) throw e;
        }
      }
      return platform.decode(bytes, format);
    },
  };
}
