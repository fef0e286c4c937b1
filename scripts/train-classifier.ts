// `npm run train-classifier`: trains the project's MNIST digit classifier (src/eval/classifier.ts) on the 60,000
// training images, reports its accuracy on the 10,000 test images, and writes it to models/mnist-classifier/
// (model.json + weights.bin, a tfjs LayersModel) with training.json (settings, time, accuracy). Then it recomputes
// the quality meter's reference statistics beside it (scripts/classifier-stats.ts), which depend on these weights.
// On the wasm backend: seeded (weights, batch order), deterministic on one machine; see the README of models/.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { selectBackend } from '../src/train/backend';
import { loadMnistTest, loadMnistTrain } from '../src/cli/mnist';
import { saveModelToDirectory } from '../src/cli/modelFiles';
import { CLASSIFIER_TRAINING, trainClassifier } from '../src/eval/trainClassifier';
import { classifierAccuracy } from '../src/eval/classifierAccuracy';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'models', 'mnist-classifier') },
    epochs: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    'skip-stats': { type: 'boolean', default: false },
  },
});
const backend = values.backend === 'cpu' ? 'cpu' : 'wasm';
const epochs = values.epochs === undefined ? CLASSIFIER_TRAINING.epochs : Number(values.epochs);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs needs a whole number ≥ 1, got ${values.epochs}`);

tf.enableProdMode();
await selectBackend(backend);
const [train, test] = await Promise.all([loadMnistTrain(), loadMnistTest()]);
const settings = { ...CLASSIFIER_TRAINING, epochs };
console.log(`Training the digit classifier on ${train.count} images, ${backend}: ${JSON.stringify(settings)}`);
const t0 = performance.now();
const model = await trainClassifier(train, {
  ...settings,
  reportEvery: 200,
  progress: ({ epoch, batch, batches, loss }) =>
    console.log(`epoch ${epoch + 1}/${epochs} batch ${batch}/${batches} loss ${loss.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
});
const trainingSeconds = (performance.now() - t0) / 1000;
const acc = await classifierAccuracy(model, test);
console.log(`Test accuracy: ${(100 * acc.accuracy).toFixed(2)}% (${acc.correct}/${acc.count}) after ${trainingSeconds.toFixed(0)} s of training`);
console.log(`Per digit: ${acc.perDigit.map((d) => `${d.digit}: ${((100 * d.correct) / d.count).toFixed(1)}%`).join(', ')}`);
const out = resolve(values.out!);
const saved = await saveModelToDirectory(model, out);
await writeFile(
  join(out, 'training.json'),
  JSON.stringify(
    {
      script: 'scripts/train-classifier.ts',
      settings,
      backend,
      tfjs: tf.version.tfjs,
      trainingSeconds: Math.round(trainingSeconds * 10) / 10,
      testAccuracy: acc.accuracy,
      testCorrect: acc.correct,
      perDigit: acc.perDigit,
      weightBytes: saved.modelArtifactsInfo.weightDataBytes,
      trainedAt: new Date().toISOString(),
    },
    null,
    2,
  ) + '\n',
);
console.log(`Wrote ${out} (${saved.modelArtifactsInfo.weightDataBytes} bytes of weights)`);
model.dispose();
if (!values['skip-stats']) {
  const { writeClassifierStats } = await import('./classifier-stats');
  await writeClassifierStats(out);
}
