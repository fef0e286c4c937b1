// Node side of the quality meter: the committed digit classifier and its reference statistics, read from
// models/mnist-classifier/ (or another directory laid out the same way). Refuses statistics computed for other weights.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFromDirectory, WEIGHTS_BIN } from './modelFiles';
import { QualityMeter, type ReferenceFile } from '../eval/meter';

export const CLASSIFIER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models', 'mnist-classifier');
export const REFERENCE_JSON = 'reference.json';

export async function weightsSha256(dir: string): Promise<string> {
  return createHash('sha256').update(await readFile(join(dir, WEIGHTS_BIN))).digest('hex');
}

export async function readReference(dir: string): Promise<ReferenceFile> {
  const reference = JSON.parse(await readFile(join(dir, REFERENCE_JSON), 'utf8')) as ReferenceFile;
  if (reference.format !== 'ganvas-classifier-reference' || reference.version !== 1) throw new Error(`${join(dir, REFERENCE_JSON)} is not a Ganvas classifier reference file`);
  const hash = await weightsSha256(dir);
  if (reference.weightsSha256 !== hash) {
    throw new Error(`${join(dir, REFERENCE_JSON)} was computed for other classifier weights; run "npx tsx scripts/classifier-stats.ts" to recompute it`);
  }
  return reference;
}

/** The meter with the committed classifier (tfjs's current backend). */
export async function loadQualityMeter(dir = CLASSIFIER_DIR): Promise<QualityMeter> {
  const reference = await readReference(dir);
  return new QualityMeter(await loadModelFromDirectory(dir), reference);
}
