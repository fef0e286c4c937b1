// Saves a tfjs LayersModel as a directory (model.json + weights.bin), the layout `tf.loadLayersModel` reads from a
// URL or, in tfjs-node, from `file://…/model.json`. Works with plain @tensorflow/tfjs: no tfjs-node needed, so the
// runner stays pure JS + wasm. Node only (node:fs).
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** An IOHandler that writes the artifacts into `dir` in the standard tfjs model.json format. */
export function directorySaveHandler(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    if (!(artifacts.modelTopology && artifacts.weightSpecs && artifacts.weightData !== undefined)) {
      throw new Error('saveModelToDirectory: the model produced no topology or weights');
    }
    const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const modelJson: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs }],
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
    };
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
    await writeFile(join(dir, MODEL_JSON), JSON.stringify(modelJson));
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
        weightSpecsBytes: JSON.stringify(artifacts.weightSpecs).length,
        weightDataBytes: weights.byteLength,
      },
    };
  });
}

export async function saveModelToDirectory(model: tf.LayersModel, dir: string): Promise<tf.io.SaveResult> {
  return model.save(directorySaveHandler(dir));
}

/** An IOHandler that reads `dir/model.json` (or another name) and the weight files its manifest names (paths relative to `dir`). */
export function directoryLoadHandler(dir: string, modelJson = MODEL_JSON): tf.io.IOHandler {
  return {
    load: async () => {
      const topology = JSON.parse(await readFile(join(dir, modelJson), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(topology, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const path of group.paths) {
            const bytes = await readFile(join(dir, path));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

export async function loadModelFromDirectory(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(directoryLoadHandler(dir));
}
