// Puts a stored run back on the page: its graph on the canvas (one undoable step), its charts, log and sample grids in
// the training panel, and — when it kept a checkpoint — the trainer state in the worker, paused, so Resume trains on
// from there. A checkpoint that cannot be read gives a message and changes nothing.
import { get } from 'svelte/store';
import { MNIST_ASSET } from '../../data/mnist';
import { formatLogLine } from '../../io/logLine';
import type { DocumentStore } from '../state/documentStore';
import { loadBackendChoice } from '../training/backendChoice';
import { currentClient } from '../training/trainingClient';
import { adoptRun, puttingBack } from './recorder';
import { readRun } from './runStore';

export async function reopenRun(id: string, docs: DocumentStore): Promise<boolean> {
  const client = get(currentClient);
  if (!client) return false;
  if (client.running) {
    docs.notify('error', { scope: 'ui', key: 'runs.busy' });
    return false;
  }
  const rec = await readRun(id);
  if (!rec) {
    docs.notify('error', { scope: 'ui', key: 'runs.reopenFailed', args: { name: id, detail: 'not found' } });
    return false;
  }
  let settings = null;
  if (rec.checkpoint) {
    const { readCheckpoint } = await import('../recovery/codec');
    const r = readCheckpoint(rec.checkpoint);
    if (!r.ok) {
      docs.notify('error', { scope: 'ui', key: 'runs.reopenFailed', args: { name: rec.name, detail: r.error } });
      return false;
    }
    settings = { ...r.value.settings, fixedNoise: rec.settings.fixedNoise };
  }
  if (JSON.stringify(docs.get()) !== JSON.stringify(rec.doc) && !docs.replace(rec.doc)) return false;
  adoptRun(rec);
  puttingBack(() => {
    client.history.set(rec.history.map((s) => ({ ...s })));
    client.fine.set(rec.fine.map((s) => ({ ...s })));
    client.log.set(rec.history.map((s) => ({ iteration: s.iteration, line: formatLogLine(s) })));
    client.grids.set(
      rec.grids.map((g) => ({
        iteration: g.iteration,
        width: g.width,
        height: g.height,
        count: g.count,
        channels: g.channels,
        ...(g.labels ? { labels: g.labels, cols: g.cols } : {}),
        pixels: Float32Array.from(g.pixels, (b) => b / 255),
      })),
    );
  });
  client.fault.set(null);
  client.error.set(null);
  client.progress.set(null);
  client.lastStep.set(null);
  if (rec.checkpoint && settings) {
    client.iteration.set(rec.checkpointIteration ?? rec.iteration);
    const choice = loadBackendChoice();
    const backend = choice === 'auto' ? (get(client.auto)?.backend ?? rec.backend ?? 'wasm') : choice;
    const mnistUrl = new URL(MNIST_ASSET, new URL(import.meta.env.BASE_URL, document.baseURI)).href;
    // Copied, not transferred: the library keeps its bytes.
    client.post({ type: 'restoreCheckpoint', checkpoint: rec.checkpoint, settings, backend, paused: true, mnistUrl });
    docs.notify('info', { scope: 'ui', key: 'runs.reopened', args: { name: rec.name, iteration: rec.checkpointIteration ?? rec.iteration } });
  } else {
    client.iteration.set(0);
    docs.notify('info', { scope: 'ui', key: 'runs.reopenedNoCheckpoint', args: { name: rec.name } });
  }
  return true;
}
