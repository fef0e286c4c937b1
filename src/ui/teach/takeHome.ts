// The take-home actions of the File and Model menus: Export Keras, model downloads and Load generator. Everything heavy
// is imported on demand (the Keras exporter, tfjs for sampling a loaded generator) so the editor loads fast; model
// weights come from the training worker, which owns the trained networks.
import type { FromWorker } from '../../worker/protocol';
import type { ModelWhich } from '../../worker/teachMessages';
import { fileNameFor } from '../state/persistence';
import type { DocumentStore } from '../state/documentStore';
import { loadedSamples, openPanel, saveFile, trainingClient } from './teachState';

export async function exportKerasScript(store: DocumentStore) {
  const doc = store.get();
  try {
    const { exportKeras } = await import('../../io/kerasExport');
    saveFile(fileNameFor(doc).replace(/\.json$/, '.py'), exportKeras(doc), 'text/x-python');
  } catch (e) {
    store.notify('error', { scope: 'ui', key: 'teach.exportFailed', args: { detail: e instanceof Error ? e.message : String(e) } });
  }
}

export function downloadModel(store: DocumentStore, which: ModelWhich) {
  const client = trainingClient();
  const stop = client.listen((msg: FromWorker) => {
    if (msg.type === 'modelFiles' && msg.which === which) {
      stop();
      // Two plain files, named as tf.io.browserDownloads would name them; "Load generator" takes both back.
      saveFile(`${which}.json`, msg.modelJson, 'application/json');
      saveFile(`${which}.weights.bin`, msg.weights, 'application/octet-stream');
    } else if (msg.type === 'error' && msg.msg?.key === 'teach.noModel') {
      stop();
      store.notify('error', msg.msg);
    }
  });
  client.post({ type: 'saveModel', which });
}

export async function loadGenerator(store: DocumentStore, files: File[]) {
  if (files.length === 0) return;
  const { sampleFromGeneratorFiles, LoadError } = await import('../../io/generatorFiles');
  try {
    const images = await sampleFromGeneratorFiles(files);
    loadedSamples.set({ file: files.map((f) => f.name).join(', '), images });
    openPanel.set('loaded');
  } catch (err) {
    store.notify('error', err instanceof LoadError ? err.msg : { scope: 'ui', key: 'teach.loadFailed', args: { detail: String(err) } });
  }
}
