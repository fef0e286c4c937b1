// One headless preparation, in its own process so its peak memory is its own: prints one JSON line with the
// preparation time and peak RSS. Used by bench/datasetPrep.ts. The peak is sampled every 20 ms: the kernel's maxRSS is
// no use here, since Linux carries it across exec from the parent (the bench that just made 60,000 PNGs).
import { loadDatasetFromPath } from '../src/cli/datasetFiles';

const [path, shape] = process.argv.slice(2);
const target = (shape ?? '28x28x1').split('x').map(Number);
let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
};
const timer = setInterval(sample, 20);
const before = process.memoryUsage().rss;
const t0 = performance.now();
const ds = await loadDatasetFromPath(path, { target, minImages: 128 });
const ms = performance.now() - t0;
sample();
clearInterval(timer);
const mb = (b: number) => Math.round(b / 2 ** 20);
console.log(
  JSON.stringify({
    path,
    target: target.join('×'),
    count: ds.count,
    labels: ds.meta.labelCounts,
    ms: Math.round(ms),
    prepareMs: ds.meta.report.ms,
    rssBeforeMB: mb(before),
    peakRssMB: mb(peakRss),
    peakHeapAndBuffersMB: mb(peakHeap),
    pixelsMB: mb(ds.pixels.byteLength),
  }),
);
