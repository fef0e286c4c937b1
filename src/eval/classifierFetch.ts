// Browser side of the quality meter (page or worker): the committed classifier (models/mnist-classifier) and its
// reference statistics as Vite assets. `?url` gives each file its own (hashed) URL in the build, so the weights file is
// resolved through weightUrlConverter rather than relative to model.json.
/// <reference types="vite/client" />
import * as tf from '@tensorflow/tfjs';
import modelUrl from '../../models/mnist-classifier/model.json?url';
import weightsUrl from '../../models/mnist-classifier/weights.bin?url';
import referenceUrl from '../../models/mnist-classifier/reference.json?url';
import { QualityMeter, type ReferenceFile } from './meter';

export async function fetchQualityMeter(base: string | URL = self.location.href): Promise<QualityMeter> {
  const resolve = (url: string) => new URL(url, base).href;
  const response = await fetch(resolve(referenceUrl));
  if (!response.ok) throw new Error(`the quality meter's reference statistics did not load (${response.status})`);
  const reference = (await response.json()) as ReferenceFile;
  const classifier = await tf.loadLayersModel(resolve(modelUrl), { weightUrlConverter: async () => resolve(weightsUrl) });
  return new QualityMeter(classifier, reference);
}
