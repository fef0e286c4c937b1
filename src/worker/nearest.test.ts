import { describe, expect, it } from 'vitest';
import { nearestImages } from './nearest';
import type { ImageSource } from '../data/imageSource';

const source = (images: number[][], labels?: number[]): ImageSource => ({
  count: images.length,
  size: images[0].length,
  pixels: Uint8Array.from(images.flat()),
  ...(labels ? { labels: Uint8Array.from(labels) } : {}),
});

describe('nearestImages', () => {
  const data = source(
    [
      [0, 0, 0, 0],
      [255, 255, 255, 255],
      [255, 0, 0, 0],
      [255, 255, 0, 0],
      [0, 0, 0, 51],
    ],
    [3, 1, 4, 1, 5],
  );

  it('returns the k nearest by pixel distance in [0, 1] units, nearest first, with their pixels and labels', () => {
    const found = nearestImages(data, [1, 0.9, 0, 0], 3);
    expect(found.map((f) => f.index)).toEqual([3, 2, 0]);
    expect(found[0].distance).toBeCloseTo(0.1, 6);
    expect(found[1].distance).toBeCloseTo(0.9, 6);
    expect(found[2].distance).toBeCloseTo(Math.sqrt(1 + 0.81), 6);
    expect(Array.from(found[0].pixels)).toEqual([255, 255, 0, 0]);
    expect(found.map((f) => f.label)).toEqual([1, 4, 3]);
  });

  it('finds a training image itself at distance 0', () => {
    const found = nearestImages(data, [0, 0, 0, 0.2], 1);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ index: 4, distance: 0 });
  });

  it('refuses a sample of another size', () => {
    expect(() => nearestImages(data, [0, 0, 0], 3)).toThrow(/3 values, the training images 4/);
  });
});
