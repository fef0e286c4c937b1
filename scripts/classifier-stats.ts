// `npx tsx scripts/classifier-stats.ts [DIR]` (run by `npm run train-classifier` after training): the quality meter's
// reference file for the classifier in DIR (default models/mnist-classifier): the mean and covariance of its features
// over the 10,000 test images, and the scores of real data — N training images, a seeded random subset, scored against
// them exactly like N generated samples — for N = 2,000 (the browser's default) and 10,000 (headless).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { selectBackend } from '../src/train/backend';
import { loadMnistTest, loadMnistTrainImages } from '../src/cli/mnist';
import { loadModelFromDirectory } from '../src/cli/modelFiles';
import { CLASSIFIER_DIR, REFERENCE_JSON, weightsSha256 } from '../src/cli/classifierFiles';
import { classify, pixelsToInput, withFeatures } from '../src/eval/classifier';
import { featureStats, statsToJson, type FeatureStatsJson, type Scores } from '../src/eval/scores';
import { DEFAULT_SAMPLES, QualityMeter, REAL_DATA_SEED, seededSubset, type ReferenceFile } from '../src/eval/meter';

/** Eight significant digits: the statistics file stays small and the scores move by far less than their noise. */
const round = (x: number) => Number(x.toPrecision(8));

// Kept in src/eval/meter.ts, where the worker computes real data's scores at other sizes the same way.
export { REAL_DATA_SEED, seededSubset };

export async function writeClassifierStats(dir = CLASSIFIER_DIR): Promise<ReferenceFile> {
  const classifier = await loadModelFromDirectory(dir);
  const test = await loadMnistTest();
  const t0 = performance.now();
  const heads = withFeatures(classifier);
  const outputs = await classify(heads, test.count, (start, n) => pixelsToInput(test.pixels, start, n));
  const stats = statsToJson(featureStats(outputs.features, outputs.count));
  const testStats: FeatureStatsJson = { count: stats.count, mean: stats.mean.map(round), covariance: stats.covariance.map(round) };
  const reference: ReferenceFile = { format: 'ganvas-classifier-reference', version: 1, weightsSha256: await weightsSha256(dir), test: testStats, realData: {} };
  const meter = new QualityMeter(classifier, reference);
  const train = await loadMnistTrainImages();
  const realData: Record<string, Scores> = {};
  for (const samples of [DEFAULT_SAMPLES.browser, DEFAULT_SAMPLES.headless]) {
    const s = await meter.scoreReal(train, seededSubset(train.count, samples, REAL_DATA_SEED + samples));
    realData[String(samples)] = { ...s, frechetDistance: round(s.frechetDistance), inceptionScore: round(s.inceptionScore), meanConfidence: round(s.meanConfidence), digitShares: s.digitShares.map(round) };
    console.log(`Real data, N = ${samples}: Fréchet distance ${s.frechetDistance.toFixed(4)}, Inception Score ${s.inceptionScore.toFixed(3)}, ${s.digitsCovered} digits covered, mean confidence ${(100 * s.meanConfidence).toFixed(2)}%`);
  }
  reference.realData = realData;
  await writeFile(join(dir, REFERENCE_JSON), JSON.stringify(reference) + '\n');
  console.log(`Wrote ${join(dir, REFERENCE_JSON)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  meter.dispose();
  return reference;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  tf.enableProdMode();
  await selectBackend('wasm');
  await writeClassifierStats(process.argv[2] ? resolve(process.argv[2]) : CLASSIFIER_DIR);
}
