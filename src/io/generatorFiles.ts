// Browser side: loads a generator saved by "Download generator" (model .json + weights .bin, tfjs's browser-download
// layout) and samples a 4×4 grid from it. The UI imports it with import() only when someone loads a file, so tfjs
// stays out of the editor's first load. Runs on the page's cpu backend: 16 forward passes of a small MLP take
// milliseconds.
import * as tf from '@tensorflow/tfjs';
import type { WalkImages } from '../train/walkthrough';
import type { Msg } from '../i18n/ui';

export class LoadError extends Error {
  constructor(readonly msg: Msg) {
    super(msg.key);
  }
}

export async function sampleFromGeneratorFiles(files: File[], count = 16): Promise<WalkImages> {
  const json = files.find((f) => f.name.toLowerCase().endsWith('.json'));
  const weights = files.filter((f) => f !== json);
  if (!json || weights.length === 0) throw new LoadError({ scope: 'ui', key: 'teach.loadNeedsFiles' });
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.browserFiles([json, ...weights]));
  } catch (e) {
    throw new LoadError({ scope: 'ui', key: 'teach.loadFailed', args: { detail: e instanceof Error ? e.message : String(e) } });
  }
  try {
    const input = model.inputs[0].shape;
    const output = model.outputs[0].shape;
    // A generator maps a noise vector (batch × z) to an image (batch × h × w [× c]).
    if (input.length !== 2 || typeof input[1] !== 'number' || output.length < 3) {
      throw new LoadError({ scope: 'ui', key: 'teach.notGenerator', args: { shape: input.map((d) => d ?? '?').join('×') } });
    }
    const [height, width] = output.slice(1) as number[];
    const zSize = input[1];
    const images = tf.tidy(() => tf.add(tf.mul(model.predict(tf.randomNormal([count, zSize])) as tf.Tensor, 0.5), 0.5));
    const pixels = new Float32Array(await images.data());
    images.dispose();
    return { pixels, count, width, height };
  } finally {
    model.dispose();
  }
}
