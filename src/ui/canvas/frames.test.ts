import { describe, expect, it } from 'vitest';
import { frameRects, overlaps, separateFrames, type Rect } from './frames';

const box = (x: number, y: number): Rect => ({ x, y, w: 176, h: 120 });
const category = (id: string) => (id.startsWith('loss') ? 'loss' : id === 'comb' ? 'combiner' : 'layer');

function apply(boxes: Record<string, Rect>, moved: Record<string, { x: number; y: number }>) {
  return Object.fromEntries(Object.entries(boxes).map(([id, b]) => [id, { ...b, ...(moved[id] ?? {}) }]));
}

describe('network frames', () => {
  it('frames hold members with padding and a label strip, leaving losses and the combiner out', () => {
    const f = frameRects({ a: box(0, 0), b: box(260, 0), loss1: box(520, 0) }, { a: 'generator', b: 'generator', loss1: 'generator' }, category);
    expect(f.generator).toEqual({ x: -24, y: -54, w: 260 + 176 + 48, h: 120 + 48 + 30 });
    expect(f.discriminator).toBeUndefined();
  });

  it('moves the lower network below the upper one when their frames overlap, and nodes outside frames out of them', () => {
    const groups = { g1: 'generator', g2: 'generator', d1: 'discriminator', d2: 'discriminator', comb: 'link', loss1: 'discriminator' };
    // An ELK-like result: both chains interleaved in the same rows, the combiner sitting inside G's frame.
    const boxes = { g1: box(0, 0), g2: box(260, 100), d1: box(0, 150), d2: box(260, 260), comb: box(300, 20), loss1: box(600, 300) };
    const after = apply(boxes, separateFrames(boxes, groups, category));
    const f = frameRects(after, groups, category);
    expect(overlaps(f.generator!, f.discriminator!)).toBe(false);
    for (const [id, b] of Object.entries(after)) {
      if (groups[id as keyof typeof groups] !== 'generator' || id === 'comb') expect(overlaps(f.generator!, b) && id !== 'g1' && id !== 'g2', id).toBe(false);
    }
    expect(overlaps(f.discriminator!, after.comb)).toBe(false);
  });

  it('moves nothing when the frames are apart', () => {
    const groups = { g1: 'generator', d1: 'discriminator' };
    expect(separateFrames({ g1: box(0, 0), d1: box(0, 420) }, groups, category)).toEqual({});
  });
});
