import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGan } from '../train/compile';
import { loadModelFromDirectory, saveModelToDirectory } from './modelFiles';
import { presetDocument } from '../testing/fixtures';

const work = mkdtempSync(join(tmpdir(), 'ganvas-model-'));
beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('saving a LayersModel to a directory', () => {
  it('round-trips the preset generator: same outputs for the same z', async () => {
    const r = compileGan(presetDocument(), { seed: 3 });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const dir = join(work, 'generator');
    const result = await saveModelToDirectory(r.gan.generator, dir);
    // 114,064 float32 weights.
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(114_064 * 4);
    expect(statSync(join(dir, 'weights.bin')).size).toBe(114_064 * 4);

    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Model');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    expect(json.weightsManifest[0].weights.map((w: { shape: number[] }) => w.shape)).toEqual([[100, 128], [128], [128, 784], [784]]);

    const loaded = await loadModelFromDirectory(dir);
    const z = tf.randomNormal([4, 100], 0, 1, 'float32', 11);
    const a = (r.gan.generator.predict(z) as tf.Tensor).dataSync();
    const b = (loaded.predict(z) as tf.Tensor).dataSync();
    expect(b.length).toBe(4 * 784);
    expect(Array.from(b)).toEqual(Array.from(a));
    r.gan.dispose();
    loaded.dispose();
  });

  it('reads the same files through tf.io.fromMemory, as any tfjs program holding them would', async () => {
    const dir = join(work, 'generator');
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const bin = readFileSync(join(dir, 'weights.bin'));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) }),
    );
    expect(model.countParams()).toBe(114_064);
    model.dispose();
  });
});
