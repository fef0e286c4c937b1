// Fits one decoded image to the target shape: centre-crop to the target's aspect ratio (no padding, no distortion),
// then resize by area averaging (each target pixel is the mean of the source area it covers; bilinear when enlarging),
// converting to grayscale (0.299 R + 0.587 G + 0.114 B, as PIL's "L") or RGB, with transparent areas made white.
import type { DecodedImage } from './decoder';
import type { ImageShape } from './imageSource';

/** Source index ranges and weights for each target index along one axis (separable resampling). */
interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  /** Offsets into `weights` per target index. */
  at: Int32Array;
}

// Datasets are mostly one size: the weights for a (source, target) pair are computed once.
const weightCache = new Map<string, AxisWeights>();
function cachedWeights(srcLen: number, dstLen: number): AxisWeights {
  const key = `${srcLen}>${dstLen}`;
  let w = weightCache.get(key);
  if (!w) {
    if (weightCache.size > 256) weightCache.clear();
    w = axisWeights(0, srcLen, dstLen);
    weightCache.set(key, w);
  }
  return w;
}

/** Scratch buffers reused across images (one image is fitted at a time: the work is synchronous). */
let planeScratch: Float32Array = new Float32Array(0);
let midScratch: Float32Array = new Float32Array(0);
const scratch = (buf: Float32Array, n: number): Float32Array => (buf.length >= n ? buf : new Float32Array(Math.max(n, buf.length * 2)));

function axisWeights(srcStart: number, srcLen: number, dstLen: number): AxisWeights {
  const scale = srcLen / dstLen;
  const start = new Int32Array(dstLen);
  const count = new Int32Array(dstLen);
  const at = new Int32Array(dstLen);
  const list: number[] = [];
  for (let d = 0; d < dstLen; d++) {
    at[d] = list.length;
    if (scale >= 1) {
      // Area: the source interval [d·s, (d+1)·s) with fractional coverage at its ends.
      const lo = d * scale;
      const hi = lo + scale;
      const first = Math.floor(lo);
      const last = Math.min(srcLen - 1, Math.ceil(hi) - 1);
      start[d] = srcStart + first;
      count[d] = last - first + 1;
      for (let s = first; s <= last; s++) list.push((Math.min(hi, s + 1) - Math.max(lo, s)) / scale);
    } else {
      // Bilinear between the two nearest source pixel centres (edges clamped).
      const c = Math.min(srcLen - 1, Math.max(0, (d + 0.5) * scale - 0.5));
      const first = Math.min(srcLen - 2, Math.floor(c));
      if (srcLen === 1) {
        start[d] = srcStart;
        count[d] = 1;
        list.push(1);
        continue;
      }
      const t = c - first;
      start[d] = srcStart + first;
      count[d] = 2;
      list.push(1 - t, t);
    }
  }
  return { start, count, at, weights: Float32Array.from(list) };
}

/** The centred crop of a w×h image with the target's aspect ratio. */
export function centreCrop(w: number, h: number, tw: number, th: number): { x: number; y: number; w: number; h: number } {
  if (w * th > h * tw) {
    const cw = Math.max(1, Math.round((h * tw) / th));
    return { x: Math.floor((w - cw) / 2), y: 0, w: cw, h };
  }
  const ch = Math.max(1, Math.round((w * th) / tw));
  return { x: 0, y: Math.floor((h - ch) / 2), w, h: ch };
}

/**
 * Writes `img` fitted to `target` into `out` at `offset` (target h·w·c bytes). Returns whether it had to be resized
 * (another size) and converted (another channel count).
 */
export function fitImage(img: DecodedImage, target: ImageShape, out: Uint8Array, offset: number): { resized: boolean; converted: boolean } {
  const [th, tw, tc] = target;
  const { width: w, height: h, channels: sc, data } = img;
  const converted = (sc === 1) !== (tc === 1);
  const resized = w !== tw || h !== th;
  if (!resized && sc === tc) {
    out.set(data.subarray(0, w * h * sc), offset);
    return { resized, converted };
  }
  // Per-pixel conversion (as floats) over the crop only. A gray source is resampled as gray and only then spread to
  // RGB: a third of the work for grayscale images going into a colour input.
  const pc = sc === 1 ? 1 : tc;
  const crop = centreCrop(w, h, tw, th);
  planeScratch = scratch(planeScratch, crop.w * crop.h * pc);
  const plane = planeScratch;
  for (let y = 0; y < crop.h; y++) {
    for (let x = 0; x < crop.w; x++) {
      const s = ((crop.y + y) * w + crop.x + x) * sc;
      const p = (y * crop.w + x) * pc;
      if (sc === 1) {
        plane[p] = data[s];
        continue;
      }
      let r = data[s];
      let g = data[s + 1];
      let b = data[s + 2];
      if (sc === 4) {
        const a = data[s + 3] / 255;
        r = r * a + 255 * (1 - a);
        g = g * a + 255 * (1 - a);
        b = b * a + 255 * (1 - a);
      }
      if (pc === 1) plane[p] = 0.299 * r + 0.587 * g + 0.114 * b;
      else {
        plane[p] = r;
        plane[p + 1] = g;
        plane[p + 2] = b;
      }
    }
  }
  const put = (i: number, v: number) => {
    const byte = Math.min(255, Math.max(0, Math.round(v)));
    if (pc === tc) out[offset + i] = byte;
    else out.fill(byte, offset + i * tc, offset + i * tc + tc);
  };
  if (!resized) {
    for (let i = 0; i < crop.w * crop.h * pc; i++) put(i, plane[i]);
    return { resized, converted };
  }
  // Separable: columns first (crop.h rows × tw), then rows (th × tw).
  const wx = cachedWeights(crop.w, tw);
  const wy = cachedWeights(crop.h, th);
  midScratch = scratch(midScratch, crop.h * tw * pc);
  const mid = midScratch;
  for (let y = 0; y < crop.h; y++) {
    for (let x = 0; x < tw; x++) {
      const n = wx.count[x];
      const at = wx.at[x];
      const base = (y * crop.w + wx.start[x]) * pc;
      for (let c = 0; c < pc; c++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += plane[base + k * pc + c] * wx.weights[at + k];
        mid[(y * tw + x) * pc + c] = acc;
      }
    }
  }
  for (let y = 0; y < th; y++) {
    const n = wy.count[y];
    const at = wy.at[y];
    for (let x = 0; x < tw; x++) {
      const base = (wy.start[y] * tw + x) * pc;
      for (let c = 0; c < pc; c++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += mid[base + k * tw * pc + c] * wy.weights[at + k];
        put((y * tw + x) * pc + c, acc);
      }
    }
  }
  return { resized, converted };
}
