import { describe, expect, it } from 'vitest';
import { renderMsg } from '../../i18n/ui';
import { isOutOfMemory, trainingErrorMessage } from './errors';

describe('training error routing', () => {
  it('recognises the ways tfjs and browsers report exhausted memory', () => {
    for (const m of [
      'Failed to allocate texture',
      'WebGL: out of memory',
      'RangeError: Array buffer allocation failed',
      'Aborted(OOM). Build with -sASSERTIONS for more info.',
      'Requested texture size [16384x16384] greater than WebGL maximum; Could not allocate',
    ])
      expect(isOutOfMemory(m), m).toBe(true);
    for (const m of ['train.notCompilable', 'Shapes (3,4) and (5,6) are incompatible', 'roomy locations']) expect(isOutOfMemory(m), m).toBe(false);
  });
  it('turns an out-of-memory error into train.outOfMemory with the raw text as detail', () => {
    const msg = trainingErrorMessage('Failed to allocate texture');
    expect(typeof msg).toBe('object');
    expect(renderMsg(msg as Exclude<typeof msg, string>, 'en')).toBe('Out of memory while training: Failed to allocate texture. Try a smaller batch or fewer units.');
    expect(trainingErrorMessage('something else')).toBe('something else');
  });
});
