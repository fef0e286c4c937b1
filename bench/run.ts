// `npm run bench`: ms/iteration of the preset for the naive seed-style loop and Ganvas's trainer, side by side in one
// run — Node cpu and wasm, headless Chromium webgl and wasm — plus the app's JS size (gzip), time from navigation to
// an interactive editor, and time to fetch and decode MNIST in the page; then the chapter-4 DCGAN's ms/iteration on
// Node wasm (Ganvas's kernels) beside stock tfjs cpu. Prints tables, writes JSON.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import type { LoopMeasurement } from './loops';

const root = fileURLToPath(new URL('..', import.meta.url));
const outFile = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : `${root}.bench/bench.json`;
const quick = process.argv.includes('--quick');
const CHROMIUM_ARGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Two ports: the app's preview and the benchmark page's (the next one). GANVAS_BENCH_PORT moves both, so that
// several checkouts on one machine can bench at once.
const appPort = Number(process.env.GANVAS_BENCH_PORT ?? 4191);
const benchPort = appPort + 1;

type Row = LoopMeasurement & { env: string };

function nodeRun(backend: string, loop: string, block: number): Row {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${root}bench/node.ts`, '--backend', backend, '--loop', loop, '--block', String(block)], { encoding: 'utf8', cwd: root });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`node ${backend}/${loop} failed: ${r.stderr}`);
  return JSON.parse(line) as Row;
}

interface DcganRow {
  backend: string;
  kernels: 'ganvas' | 'stock';
  batchSize: number;
  warmup: number;
  iterations: number;
  median: number;
  cpuMedian: number;
  numTensorsStart: number;
  numTensorsEnd: number;
  params: { G: number; D: number };
}

/** One DCGAN measurement in its own process (bench/dcgan.ts). */
function dcganRun(backend: string, kernels: 'ganvas' | 'stock', warmup: number, iterations: number): DcganRow {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${root}bench/dcgan.ts`, '--backend', backend, '--kernels', kernels, '--warmup', String(warmup), '--iterations', String(iterations)], { encoding: 'utf8', cwd: root });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`dcgan ${backend}/${kernels} failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(line) as DcganRow;
}

interface JsSize {
  files: number;
  bytes: number;
  gzip: number;
}

/** gzip'd size of the JS files in `dir`, optionally only those `only` names (the ones the page loads up front). */
function gzipSizeOfJs(dir: string, only?: Set<string>): JsSize {
  const size: JsSize = { files: 0, bytes: 0, gzip: 0 };
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.js') || (only && !only.has(f))) continue;
    const buf = readFileSync(`${dir}/${f}`);
    size.files++;
    size.bytes += buf.length;
    size.gzip += gzipSync(buf, { level: 9 }).length;
  }
  return size;
}

/** The scripts index.html loads at navigation: its module entry and modulepreloads; workers and lazy chunks come later. */
const initialScripts = (html: string): Set<string> => new Set([...html.matchAll(/(?:src|href)="[^"]*\/assets\/([^"/]+\.js)"/g)].map((m) => m[1]));

const ratio = (rows: Row[], env: string, backend: string) => {
  const naive = rows.find((r) => r.env === env && r.backend === backend && r.loop === 'naive');
  const fast = rows.find((r) => r.env === env && r.backend === backend && r.loop === 'ganvas');
  return naive && fast ? naive.median / fast.median : Number.NaN;
};

async function main() {
  const rows: Row[] = [];
  const block = quick ? 5 : 20;
  console.error('Node measurements…');
  for (const backend of ['cpu', 'wasm']) {
    for (const loop of ['naive', 'ganvas']) rows.push(nodeRun(backend, loop, backend === 'cpu' ? Math.max(3, block / 4) : block));
  }

  // The chapter-4 DCGAN: Ganvas's kernels on wasm beside stock tfjs cpu (stock wasm has no Conv2DBackpropFilter, so it
  // cannot train a convolution at all). A stock cpu iteration takes minutes: one, cold.
  console.error('DCGAN on Node (the stock cpu iteration takes minutes)…');
  const dcgan = [dcganRun('wasm', 'ganvas', quick ? 1 : 2, quick ? 2 : 5), dcganRun('cpu', 'stock', 0, 1)];

  console.error('Building the app and the benchmark page…');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  execFileSync('npx', ['vite', 'build', '--config', 'bench/vite.config.ts'], { cwd: root, stdio: 'inherit' });
  const appServer = await preview({ root, preview: { port: appPort, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
  const benchServer = await preview({ configFile: `${root}bench/vite.config.ts`, preview: { port: benchPort, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  const extra: Record<string, number> = {};
  try {
    const inPage = async (query: string, timeoutMs: number): Promise<Record<string, unknown>> => {
      const page = await browser.newPage();
      try {
        await page.goto(`http://127.0.0.1:${benchPort}/?${query}`);
        await page.waitForFunction(() => window.__bench !== undefined, undefined, { timeout: timeoutMs });
        const r = (await page.evaluate(() => window.__bench)) as Record<string, unknown>;
        if (r.error) throw new Error(`${query}: ${String(r.error)}`);
        return r;
      } finally {
        await page.close();
      }
    };
    console.error('Chromium measurements…');
    for (const backend of ['webgl', 'wasm']) {
      for (const loop of ['naive', 'ganvas']) rows.push((await inPage(`backend=${backend}&loop=${loop}&block=${block}`, 600_000)) as unknown as Row);
    }
    const mnist = await inPage('task=mnist', 120_000);
    extra.mnistFetchDecodeMs = mnist.mnistMs as number;

    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${appPort}/`);
    await page.getByRole('button', { name: 'Load MNIST preset' }).waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.rete-node, [data-testid="node"]').first().waitFor({ timeout: 60_000 });
    extra.timeToInteractiveEditorMs = await page.evaluate(() => performance.now());
    await page.close();
  } finally {
    await browser.close();
    await appServer.close();
    await benchServer.close();
  }
  const size = gzipSizeOfJs(`${root}dist/assets`);
  const initial = gzipSizeOfJs(`${root}dist/assets`, initialScripts(readFileSync(`${root}dist/index.html`, 'utf8')));

  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
  const lines = ['| where | backend | naive seed loop ms/iter | Ganvas ms/iter | speed-up | tensors (start→end) |', '| --- | --- | --- | --- | --- | --- |'];
  for (const env of ['node', 'chromium']) {
    for (const backend of env === 'node' ? ['cpu', 'wasm'] : ['webgl', 'wasm']) {
      const n = rows.find((r) => r.env === env && r.backend === backend && r.loop === 'naive');
      const g = rows.find((r) => r.env === env && r.backend === backend && r.loop === 'ganvas');
      lines.push(`| ${env} | ${backend} | ${fmt(n?.median ?? NaN)} | ${fmt(g?.median ?? NaN)} | ${fmt(ratio(rows, env, backend))}× | ${g ? `${g.numTensorsStart}→${g.numTensorsEnd}` : '—'} |`);
    }
  }
  lines.push('', '| DCGAN (ch. 4, G 1,637,121 / D 95,489), batch 128, Node | kernels | ms/iteration (wall) | ms/iteration (CPU time) | timed | tensors (start→end) |', '| --- | --- | --- | --- | --- | --- |');
  for (const d of dcgan) {
    const label = d.kernels === 'ganvas' ? 'Ganvas (SIMD conv, batch-norm paths, fused Adam)' : 'stock tfjs (wasm cannot train conv)';
    const timed = d.warmup === 0 ? `${d.iterations} iteration, cold` : `median of ${d.iterations} after ${d.warmup} warm-up`;
    lines.push(`| ${d.backend} | ${label} | ${fmt(d.median)} | ${fmt(d.cpuMedian)} | ${timed} | ${d.numTensorsStart}→${d.numTensorsEnd} |`);
  }
  const kib = (s: JsSize) => `${s.files} files, ${(s.bytes / 1024).toFixed(0)} KiB, ${(s.gzip / 1024).toFixed(0)} KiB gzip`;
  lines.push('', `app JS loaded at navigation: ${kib(initial)}; all JS incl. training worker and lazy chunks: ${kib(size)}`);
  lines.push(`navigation → interactive editor: ${fmt(extra.timeToInteractiveEditorMs)} ms`);
  lines.push(`MNIST fetch + gunzip + SHA-256 + parse in the page: ${fmt(extra.mnistFetchDecodeMs)} ms`);
  lines.push('(median of 3 timed blocks after 5 warm-up iterations, batch 128; each block ends with a read-back so device work is included)');
  console.log(lines.join('\n'));
  mkdirSync(outFile.replace(/\/[^/]*$/, ''), { recursive: true });
  writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), rows, dcgan, appJs: { initial, all: size }, ...extra }, null, 2) + '\n');
  console.error(`wrote ${outFile} (${statSync(outFile).size} bytes)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
