// Shared test fixtures: the preset as a document, and MNIST from ../shared (tests only; users get it via npm install).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeDocument, type GraphDocument } from '../graph/document';
import { loadMnistTrainImages } from '../cli/mnist';
import type { ImageSource } from '../data/imageSource';

const root = fileURLToPath(new URL('../../', import.meta.url));

export function presetDocument(): GraphDocument {
  const r = decodeDocument(JSON.parse(readFileSync(`${root}presets/mnist-gan.json`, 'utf8')));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

let cached: ImageSource | undefined;
/** Training images: the shared gzip copy when present (as CI lays it out), else the installed package. */
export async function mnistForTests(): Promise<ImageSource> {
  if (!cached) {
    const shared = `${root}../shared/data/mnist/train-images-idx3-ubyte.gz`;
    cached = await loadMnistTrainImages(existsSync(shared) ? shared : undefined);
  }
  return cached;
}

/** A small deterministic image set for fast tests that do not need real digits. */
export function syntheticImages(count = 256, size = 784): ImageSource {
  const pixels = new Uint8Array(count * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  return { count, size, pixels };
}

/** Deterministic pseudo-random values in [-scale, scale], the same on every backend (tf.random* differs between them). */
export function uniformData(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}
