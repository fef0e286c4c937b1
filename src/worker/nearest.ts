// The memorisation check: the training images closest to a generated sample, by pixel distance. A GAN that copies
// its training data shows a near-zero distance; one that learned to draw shows its own strokes at a clear distance.
// Plain loops over the uint8 training pixels (no tensors: the data are already in memory, and uploading 60,000
// images to the GPU for one question would cost more than the loop).
import type { ImageSource } from '../data/imageSource';

export interface NearestImage {
  /** Index of the training image. */
  index: number;
  /** Euclidean distance with pixels in [0, 1]: 0 is the same image; sqrt(pixels) the largest possible. */
  distance: number;
  /** The training image's pixels (0–255, channels interleaved). */
  pixels: Uint8Array;
  label?: number;
}

/** The `k` training images nearest to `image` (values in [0, 1], the source's size), nearest first. */
export function nearestImages(data: ImageSource, image: ArrayLike<number>, k = 3): NearestImage[] {
  const size = data.size;
  if (image.length !== size) throw new Error(`nearestImages: the sample has ${image.length} values, the training images ${size}`);
  const target = new Float64Array(size);
  for (let j = 0; j < size; j++) target[j] = image[j] * 255;
  // The k best so far, sorted by squared distance (k is tiny: insertion is cheapest).
  const best: { index: number; d2: number }[] = [];
  const px = data.pixels;
  for (let i = 0; i < data.count; i++) {
    const worst = best.length < k ? Infinity : best[best.length - 1].d2;
    let d2 = 0;
    const base = i * size;
    for (let j = 0; j < size && d2 < worst; j++) {
      const diff = px[base + j] - target[j];
      d2 += diff * diff;
    }
    if (d2 >= worst) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].d2 > d2) at--;
    best.splice(at, 0, { index: i, d2 });
    if (best.length > k) best.pop();
  }
  return best.map(({ index, d2 }) => ({
    index,
    distance: Math.sqrt(d2) / 255,
    pixels: px.slice(index * size, (index + 1) * size),
    ...(data.labels ? { label: data.labels[index] } : {}),
  }));
}
