// Prepares one dataset in the real dataset worker and leaves the result in window.__prep: a served file
// (?file=NAME, a zip or an IDX .gz, fetched into a Blob as a dropped file would be) or the folder picked into #folder.
import type { FromDatasetWorker, PickedFile } from '../../../src/worker/datasetProtocol';

declare global {
  interface Window {
    __prep?: unknown;
    prepare(files: PickedFile[], name: string, target: number[], minImages: number, store: boolean): Promise<unknown>;
    prepareServed(names: string[], name: string, target: number[], minImages: number, store: boolean): Promise<unknown>;
    prepareFolder(name: string, target: number[], minImages: number, store: boolean): Promise<unknown>;
  }
}

const out = document.getElementById('out')!;

window.prepare = (files, name, target, minImages, store) =>
  new Promise((resolve) => {
    const worker = new Worker(new URL('../../../src/worker/datasetWorker.ts', import.meta.url), { type: 'module' });
    const t0 = performance.now();
    const progress: { phase: string; done: number; total: number; at: number }[] = [];
    worker.onmessage = (e: MessageEvent<FromDatasetWorker>) => {
      const m = e.data;
      if (m.type === 'progress') {
        progress.push({ phase: m.phase, done: m.done, total: m.total, at: Math.round(performance.now() - t0) });
        out.textContent = `${m.phase} ${m.done}/${m.total}`;
        return;
      }
      const wallMs = performance.now() - t0;
      worker.terminate();
      const result = m.type === 'done' ? { ok: true, wallMs, ms: m.ms, meta: m.meta, preview: Array.from(m.preview.pixels), previewLabels: m.preview.labels, progressEvents: progress.length, lastProgress: progress.at(-1) } : { ok: false, wallMs, code: m.code, args: m.args };
      window.__prep = result;
      out.textContent = JSON.stringify(result);
      resolve(result);
    };
    worker.postMessage({ type: 'prepare', files, name, target, minImages, store });
  });

window.prepareServed = async (names, name, target, minImages, store) => {
  const files: PickedFile[] = [];
  for (const n of names) files.push({ path: n, file: await (await fetch(`./data/${n}`)).blob() });
  return window.prepare(files, name, target, minImages, store);
};

window.prepareFolder = (name, target, minImages, store) => {
  const input = document.getElementById('folder') as HTMLInputElement;
  const files = [...(input.files ?? [])].map((f) => ({ path: f.webkitRelativePath || f.name, file: f as Blob }));
  return window.prepare(files, name, target, minImages, store);
};
