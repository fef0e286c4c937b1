import { describe, expect, it } from 'vitest';
import { dueForScore, qualityNotApplicable } from './quality';
import { presetDocument } from '../testing/fixtures';

describe('qualityNotApplicable', () => {
  it('scores MNIST digits (28×28×1) only, and says why not otherwise', () => {
    const doc = presetDocument();
    expect(qualityNotApplicable(doc, [28, 28, 1])).toBeUndefined();
    expect(qualityNotApplicable(doc, [32, 32, 3])).toEqual({ scope: 'ui', key: 'quality.notMnist', args: { shape: '32×32×3' } });
    const own = structuredClone(doc);
    own.nodes.find((n) => n.type === 'ImageInput')!.params.dataset = 'user:my-digits';
    // Even 28×28 grayscale: the reference statistics are MNIST's test set, so another dataset's numbers would mislead.
    expect(qualityNotApplicable(own, [28, 28, 1])).toMatchObject({ key: 'quality.notMnist' });
  });
});

describe('dueForScore', () => {
  it('scores the first interval, then whenever training since the last score is ≥ 19× its cost at a 5% budget', () => {
    expect(dueForScore(0, undefined, 0.05)).toBe(true);
    expect(dueForScore(1899, 100, 0.05)).toBe(false);
    expect(dueForScore(1900, 100, 0.05)).toBe(true);
    expect(dueForScore(1, 100, 1)).toBe(true);
  });
});
