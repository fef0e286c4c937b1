import { describe, expect, it } from 'vitest';
import { allLabels, checkSampleLabels, conditionalGridPlan, digitCaption } from './sampleGrid';

describe('conditional grid plan', () => {
  it('0–9 is the book\'s 2×5 grid on one z shared by every digit', () => {
    const p = conditionalGridPlan(allLabels(10));
    expect(p.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([p.rows, p.cols]).toEqual([2, 5]);
    expect(p.zCount).toBe(1);
    expect(new Set(p.zIndex)).toEqual(new Set([0]));
  });

  it('3s only: ten 3s, each on its own z', () => {
    const p = conditionalGridPlan([3]);
    expect(p.labels).toEqual(Array(10).fill(3));
    expect(p.zIndex).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([p.rows, p.cols]).toEqual([2, 5]);
  });

  it('a few digits repeat, one z per repetition shared across them; repeats in the request count once', () => {
    const p = conditionalGridPlan([7, 1, 7]);
    expect(p.labels).toEqual([7, 1, 7, 1, 7, 1, 7, 1, 7, 1]);
    expect(p.zIndex).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(conditionalGridPlan([1, 2, 3]).labels).toHaveLength(12);
    expect(() => conditionalGridPlan([])).toThrow();
  });

  it('captions as the book, and checks against the classes', () => {
    expect(digitCaption(7)).toBe('Digit: 7');
    expect(digitCaption(1, ['cat', 'dog'])).toBe('Digit: dog');
    expect(checkSampleLabels([3], 10)).toBeNull();
    expect(checkSampleLabels([10], 10)).toEqual({ code: 'training.sampleLabelRange', args: { label: 10, last: 9 } });
    expect(checkSampleLabels([], 10)?.code).toBe('training.sampleLabelsEmpty');
  });
});
