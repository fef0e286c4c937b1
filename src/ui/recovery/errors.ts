// Maps raw training errors from the worker to messages a learner can act on. tfjs reports exhausted memory in several
// wordings (WebGL texture allocation, WASM heap growth, the browser's own RangeError); all of them become
// train.outOfMemory, so the panel shows "try a smaller batch" instead of an opaque stack message.
import type { Msg } from '../../i18n/ui';

const OUT_OF_MEMORY = /out of memory|\bOOM\b|failed to allocate|could not allocate|cannot allocate|allocation failed|array buffer allocation/i;

export function isOutOfMemory(message: string): boolean {
  return OUT_OF_MEMORY.test(message);
}

/** The message to show for a worker error: train.outOfMemory when it is one, else the raw text. */
export function trainingErrorMessage(message: string): Msg | string {
  return isOutOfMemory(message) ? { scope: 'engine', key: 'train.outOfMemory', args: { detail: message } } : message;
}
