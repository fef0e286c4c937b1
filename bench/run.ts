// `npm run bench [-- --quick] [--only leaks] [--stock-budget-s 300] [--budget-s 300] [--out FILE]`: one table, in one run, of
//   - the classic preset (ch. 3): the naive seed-style loop beside Ganvas's trainer, Node cpu and wasm, headless
//     Chromium WebGL and WASM;
//   - the chapter-4 DCGAN: Ganvas on Node wasm beside stock tfjs cpu (stock wasm has no Conv2DBackpropFilter, so it
//     cannot train a convolution at all), and Ganvas in Chromium on WASM and WebGL;
//   - the small conv preset (dcgan-small-mnist), whose 100 iterations per backend show the tensor count staying flat
//     where 100 iterations of the full DCGAN would take too long;
//   - the app's JS size (gzip), time from navigation to an interactive editor, MNIST fetch + decode in the page;
//   - the leak check: 100 iterations of each conv preset at batch 2 on Node wasm and in Chromium on WASM and WebGL (and
//     of the small one on Node cpu), with the tensor count after each block of 20 (`--only leaks`: just these rows).
// Every measurement runs in its own process or page under a deadline: stock tfjs cpu needs minutes for one DCGAN
// iteration (--stock-budget-s, default 300 s), and each other DCGAN or page measurement gets --budget-s (default
// 300 s). A measurement cut off is reported as "> N s (cut off)" with the parts that did finish (a Step D alone, the
// warm-up, timed blocks), never as an estimate. --quick: a smoke run of every path with few iterations.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import type { LoopMeasurement, LoopProgress } from './loops';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: `${root}.bench/bench.json` },
    'stock-budget-s': { type: 'string' },
    'budget-s': { type: 'string' },
    only: { type: 'string' },
  },
});
const quick = opts.quick!;
const stockBudgetS = Number(opts['stock-budget-s'] ?? (quick ? 20 : 300));
const budgetS = Number(opts['budget-s'] ?? (quick ? 120 : 300));
// --only leaks: just the tensor-hygiene rows (the full table takes most of an hour).
const only = opts.only;
if (only !== undefined && only !== 'leaks') {
  console.error(`--only takes "leaks", not ${JSON.stringify(only)}`);
  process.exit(2);
}
// The leak check trains the conv presets at this batch: the tensors an iteration makes and frees do not depend on the
// batch size, and at 128 the full DCGAN's 100 iterations would take ~40 min on SwiftShader WebGL.
const LEAK_BATCH = 2;
const CHROMIUM_ARGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Two ports: the app's preview and the benchmark page's (the next one). GANVAS_BENCH_PORT moves both, so that
// several checkouts on one machine can bench at once.
const appPort = Number(process.env.GANVAS_BENCH_PORT ?? 4191);
const benchPort = appPort + 1;

type Preset = 'mnist-gan' | 'dcgan-mnist' | 'dcgan-small-mnist';
type Loop = 'naive' | 'ganvas';

interface Plan {
  preset: Preset;
  env: 'node' | 'chromium';
  backend: string;
  loop: Loop;
  warmup: number;
  blocks: number;
  block: number;
  /** One cold iteration timed as Step D, then Step G (the stock cpu DCGAN). */
  halves?: boolean;
  budgetS: number;
  /** Images per batch, where not the preset's own (the leak check's). */
  batch?: number;
}

type Measured = LoopMeasurement & { env: string; preset: Preset; halves?: LoopProgress };

interface Outcome {
  plan: Plan;
  result?: Measured;
  /** The last progress report before a cut-off or failure. */
  progress?: LoopProgress;
  cutOff?: boolean;
  error?: string;
}

const PROGRESS = '__benchProgress ';
const RESULT = '__bench ';

/** A Node measurement in its own process (bench/node.ts), killed at its deadline. */
function inNode(plan: Plan): Promise<Outcome> {
  const args = ['--import', 'tsx', `${root}bench/node.ts`, '--preset', plan.preset, '--backend', plan.backend, '--loop', plan.loop];
  if (plan.halves) args.push('--halves');
  else args.push('--warmup', String(plan.warmup), '--blocks', String(plan.blocks), '--block', String(plan.block));
  if (plan.batch !== undefined) args.push('--batch', String(plan.batch));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const outcome: Outcome = { plan };
    let stdout = '';
    let stderr = '';
    const take = (line: string) => {
      if (!line.startsWith('{')) return;
      const x = JSON.parse(line) as { progress?: LoopProgress } & Measured;
      if (x.progress) outcome.progress = x.progress;
      else outcome.result = x;
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const lines = stdout.split('\n');
      stdout = lines.pop()!;
      lines.forEach(take);
    });
    child.stderr.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-2000)));
    const timer = setTimeout(() => {
      outcome.cutOff = true;
      child.kill('SIGKILL');
    }, plan.budgetS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      take(stdout);
      if (!outcome.result && !outcome.cutOff) outcome.error = `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`;
      resolve(outcome);
    });
  });
}

/** A page of the benchmark build (bench/browser/main.ts) in a browser of its own, closed at the deadline. */
async function inPage(query: string, budget: number): Promise<{ result?: Record<string, unknown>; progress?: LoopProgress; cutOff?: boolean; error?: string }> {
  // One browser per page: closing the browser ends a page whose wasm loop never yields, which closing a page may not.
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  const out: { result?: Record<string, unknown>; progress?: LoopProgress; cutOff?: boolean; error?: string } = {};
  try {
    const page = await browser.newPage();
    const done = new Promise<void>((resolve) => {
      page.on('console', (m) => {
        const text = m.text();
        if (text.startsWith(PROGRESS)) out.progress = JSON.parse(text.slice(PROGRESS.length)) as LoopProgress;
        else if (text.startsWith(RESULT)) {
          const r = JSON.parse(text.slice(RESULT.length)) as Record<string, unknown>;
          if (r.error) out.error = String(r.error).split('\n')[0];
          else out.result = r;
          resolve();
        }
      });
      page.on('pageerror', (e) => {
        out.error = e.message;
        resolve();
      });
    });
    await page.goto(`http://127.0.0.1:${benchPort}/?${query}`).catch((e: unknown) => void (out.error = String(e)));
    if (out.error) return out;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(() => resolve(void (out.cutOff = true)), budget * 1000)));
    await Promise.race([done, deadline]);
    clearTimeout(timer);
  } finally {
    await browser.close();
  }
  return out;
}

async function inChromium(plan: Plan): Promise<Outcome> {
  const q = new URLSearchParams({ backend: plan.backend, loop: plan.loop, preset: plan.preset, warmup: String(plan.warmup), blocks: String(plan.blocks), block: String(plan.block) });
  if (plan.batch !== undefined) q.set('batch', String(plan.batch));
  const r = await inPage(q.toString(), plan.budgetS);
  return { plan, result: r.result as Measured | undefined, progress: r.progress, cutOff: r.cutOff && !r.result, error: r.error };
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

const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(1)} ms`);

/** ms/iteration as measured, or what a cut-off or failed measurement did finish. Never an estimate. */
function timeCell(o: Outcome | undefined): string {
  if (!o) return '—';
  if (o.result) {
    const r = o.result;
    if (r.halves) return `${ms(r.median)} (Step D ${ms(r.halves.stepDMs!)} + Step G ${ms(r.halves.stepGMs!)}, 1 cold iteration)`;
    return `${ms(r.median)}/iter`;
  }
  const p = o.progress;
  const parts: string[] = [];
  if (p?.stepDMs !== undefined) parts.push(`Step D alone took ${ms(p.stepDMs)}; Step G unfinished`);
  else if (o.plan.halves) parts.push('Step D unfinished');
  if (p?.warmupMs !== undefined) parts.push(`${o.plan.warmup} warm-up iteration(s) took ${ms(p.warmupMs)}`);
  if (p?.blocks.length) parts.push(`timed blocks: ${p.blocks.map(ms).join(', ')}/iter`);
  if (o.cutOff) return `> ${o.plan.budgetS} s (cut off${parts.length ? `; ${parts.join('; ')}` : ''})`;
  return `failed: ${o.error ?? 'no result'}${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

function cpuCell(o: Outcome | undefined): string {
  return o?.result?.cpuMedian !== undefined ? `${ms(o.result.cpuMedian)}/iter` : '—';
}

function tensorCell(o: Outcome | undefined): string {
  const r = o?.result;
  if (!r || r.halves) {
    // A cut-off row still shows the counts its finished blocks reported (after the warm-up, then after each block).
    const t = o?.progress?.tensors;
    if (!o || !t || t.length < 2) return '—';
    return `${t.join('→')} (${(t.length - 1) * o.plan.block} it. before the cut-off)`;
  }
  // The optimizers make their slots in the first iteration: without a warm-up the count must grow.
  if (r.warmup === 0) return `${r.numTensorsStart}→${r.numTensorsEnd} (no warm-up: includes the optimizers' slots)`;
  return `${r.numTensorsStart}→${r.numTensorsEnd} (${r.blocks.length * r.blockIterations} it.)`;
}

function speedUp(base: Outcome | undefined, fast: Outcome | undefined): string {
  const b = base?.result?.median;
  const f = fast?.result?.median;
  if (b !== undefined && f !== undefined) return `${(b / f).toFixed(1)}×`;
  // A baseline cut off at its deadline took longer than that: a lower bound, shown where it says something.
  if (base?.cutOff && f !== undefined && base.plan.budgetS * 1000 > f) return `> ${((base.plan.budgetS * 1000) / f).toFixed(1)}×`;
  return '—';
}

async function main() {
  const n = quick ? { warmup: 2, blocks: 1, block: 5 } : { warmup: 5, blocks: 3, block: 20 };
  // Ganvas rows time 100 iterations (5 blocks of 20): the tensor count over them is the leak check.
  const hundred = quick ? { warmup: 1, blocks: 1, block: 5 } : { warmup: 5, blocks: 5, block: 20 };
  const classic = (env: Plan['env'], backend: string, loop: Loop): Plan => {
    const base = loop === 'ganvas' ? hundred : n;
    // Stock cpu on the classic is ~0.6 s/iteration: fewer naive iterations there.
    const block = env === 'node' && backend === 'cpu' && loop === 'naive' ? Math.max(3, base.block / 4) : base.block;
    return { preset: 'mnist-gan', env, backend, loop, ...base, block, budgetS: budgetS * 2 };
  };
  const dcgan = (env: Plan['env'], backend: string): Plan => ({ preset: 'dcgan-mnist', env, backend, loop: 'ganvas', ...(quick ? { warmup: 1, blocks: 1, block: 1 } : { warmup: 1, blocks: 1, block: 3 }), budgetS });
  const small = (env: Plan['env'], backend: string): Plan => ({ preset: 'dcgan-small-mnist', env, backend, loop: 'ganvas', ...(quick ? { warmup: 1, blocks: 1, block: 3 } : { warmup: 2, blocks: 5, block: 20 }), budgetS });
  const stock: Plan = { preset: 'dcgan-mnist', env: 'node', backend: 'cpu', loop: 'naive', warmup: 0, blocks: 0, block: 1, halves: true, budgetS: stockBudgetS };
  // The leak check: 100 iterations of each conv preset at batch LEAK_BATCH on every backend, counts after each block.
  const leakShape = quick ? { warmup: 1, blocks: 2, block: 2 } : { warmup: 1, blocks: 5, block: 20 };
  const leak = (preset: Preset, env: Plan['env'], backend: string): Plan => ({ preset, env, backend, loop: 'ganvas', ...leakShape, budgetS: budgetS * 2, batch: LEAK_BATCH });
  // Stock tfjs cpu kernels need seconds per small-DCGAN iteration even at batch 2, the full DCGAN far more: cpu gets
  // the small preset only (the same node types and code paths).
  const leakRows: Array<[Preset, Plan['env'], string]> = [
    ['dcgan-mnist', 'node', 'wasm'],
    ['dcgan-mnist', 'chromium', 'wasm'],
    ['dcgan-mnist', 'chromium', 'webgl'],
    ['dcgan-small-mnist', 'node', 'cpu'],
    ['dcgan-small-mnist', 'node', 'wasm'],
    ['dcgan-small-mnist', 'chromium', 'wasm'],
    ['dcgan-small-mnist', 'chromium', 'webgl'],
  ];
  const full = only === undefined;

  const outcomes: Outcome[] = [];
  const run = async (plan: Plan) => {
    console.error(`${plan.env} ${plan.backend} ${plan.preset} ${plan.loop}${plan.halves ? ' (Step D, Step G)' : ''}…`);
    const o = plan.env === 'node' ? await inNode(plan) : await inChromium(plan);
    console.error(`  ${timeCell(o)}`);
    outcomes.push(o);
  };
  if (full) {
    for (const backend of ['cpu', 'wasm']) for (const loop of ['naive', 'ganvas'] as const) await run(classic('node', backend, loop));
    await run(dcgan('node', 'wasm'));
    await run(stock);
    await run(small('node', 'wasm'));
  }
  for (const [preset, env, backend] of leakRows) if (env === 'node') await run(leak(preset, env, backend));

  console.error('Building the app and the benchmark page…');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  execFileSync('npx', ['vite', 'build', '--config', 'bench/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  const appServer = await preview({ root, preview: { port: appPort, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
  const benchServer = await preview({ configFile: `${root}bench/vite.config.ts`, preview: { port: benchPort, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
  const extra: Record<string, number | string> = {};
  try {
    for (const [preset, env, backend] of leakRows) if (env === 'chromium') await run(leak(preset, env, backend));
    if (full) {
      for (const backend of ['webgl', 'wasm']) for (const loop of ['naive', 'ganvas'] as const) await run(classic('chromium', backend, loop));
      for (const backend of ['wasm', 'webgl']) await run(dcgan('chromium', backend));
      for (const backend of ['wasm', 'webgl']) await run(small('chromium', backend));
      const mnist = await inPage('task=mnist', 120);
      extra.mnistFetchDecodeMs = (mnist.result?.mnistMs as number | undefined) ?? `failed: ${mnist.error ?? 'cut off'}`;

      const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${appPort}/`);
        await page.locator('.rete-node, [data-testid="node"]').first().waitFor({ timeout: 60_000 });
        extra.timeToInteractiveEditorMs = await page.evaluate(() => performance.now());
      } finally {
        await browser.close();
      }
    }
  } finally {
    await appServer.close();
    await benchServer.close();
  }
  const size = gzipSizeOfJs(`${root}dist/assets`);
  const initial = gzipSizeOfJs(`${root}dist/assets`, initialScripts(readFileSync(`${root}dist/index.html`, 'utf8')));

  const find = (preset: Preset, env: string, backend: string, loop: Loop) => outcomes.find((o) => o.plan.preset === preset && o.plan.env === env && o.plan.backend === backend && o.plan.loop === loop && o.plan.batch === undefined);
  // The batch each row trained at is the preset's own (bench/node.ts and the page read it from presets/).
  const batchOf = (preset: Preset) => (JSON.parse(readFileSync(`${root}presets/${preset}.json`, 'utf8')) as { training: { batchSize: number } }).training.batchSize;
  const label: Record<Preset, string> = {
    'mnist-gan': `classic (ch. 3), batch ${batchOf('mnist-gan')}`,
    'dcgan-mnist': `DCGAN (ch. 4, G 1,637,121 / D 95,489), batch ${batchOf('dcgan-mnist')}`,
    'dcgan-small-mnist': `small DCGAN (dcgan-small-mnist), batch ${batchOf('dcgan-small-mnist')}`,
  };
  const lines = [
    '| measurement | where | backend | baseline | baseline time | Ganvas time | Ganvas CPU time (Node) | speed-up | Ganvas tensors start→end (timed iterations) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const row = (cells: string[]) => lines.push(`| ${cells.join(' | ')} |`);
  if (full) {
    for (const [env, backends] of [['node', ['cpu', 'wasm']], ['chromium', ['webgl', 'wasm']]] as const) {
      for (const backend of backends) {
        const [b, g] = [find('mnist-gan', env, backend, 'naive'), find('mnist-gan', env, backend, 'ganvas')];
        row([label['mnist-gan'], env, backend, 'naive seed loop, stock kernels', timeCell(b), timeCell(g), cpuCell(g), speedUp(b, g), tensorCell(g)]);
      }
    }
    const stockRow = find('dcgan-mnist', 'node', 'cpu', 'naive');
    const dcganWasm = find('dcgan-mnist', 'node', 'wasm', 'ganvas');
    row([label['dcgan-mnist'], 'node', 'wasm (Ganvas) · cpu (stock)', 'stock tfjs cpu, seed loop (stock wasm cannot train conv)', timeCell(stockRow), timeCell(dcganWasm), cpuCell(dcganWasm), speedUp(stockRow, dcganWasm), tensorCell(dcganWasm)]);
    for (const backend of ['wasm', 'webgl']) {
      const g = find('dcgan-mnist', 'chromium', backend, 'ganvas');
      row([label['dcgan-mnist'], 'chromium', backend, '—', '—', timeCell(g), '—', '—', tensorCell(g)]);
    }
    for (const [env, backend] of [['node', 'wasm'], ['chromium', 'wasm'], ['chromium', 'webgl']]) {
      const g = find('dcgan-small-mnist', env, backend, 'ganvas');
      row([label['dcgan-small-mnist'], env, backend, '—', '—', timeCell(g), cpuCell(g), '—', tensorCell(g)]);
    }
    const kib = (s: JsSize) => `${(s.gzip / 1024).toFixed(0)} KiB gzip (${s.files} files, ${(s.bytes / 1024).toFixed(0)} KiB)`;
    const value = (x: number | string | undefined) => (typeof x === 'number' ? ms(x) : (x ?? '—'));
    row(['app JS loaded at navigation', 'chromium', '—', '—', '—', kib(initial), '—', '—', '—']);
    row(['all app JS (training worker, lazy tfjs chunks)', '—', '—', '—', '—', kib(size), '—', '—', '—']);
    row(['navigation → interactive editor', 'chromium', '—', '—', '—', value(extra.timeToInteractiveEditorMs), '—', '—', '—']);
    row(['MNIST fetch + gunzip + SHA-256 + parse in the page', 'chromium', '—', '—', '—', value(extra.mnistFetchDecodeMs), '—', '—', '—']);
    const plain = quick ? 'quick smoke run: few iterations, not for comparison' : 'median of timed blocks of 20 after warm-up (Ganvas: 5 blocks = 100 iterations; naive: 3); each block ends with a read-back';
    lines.push('', `(${plain}; DCGAN: ${quick ? '1 iteration after 1 warm-up' : 'mean of 3 iterations after 1 warm-up'}; stock cpu DCGAN: one cold iteration, cut off at ${stockBudgetS} s; other measurements cut off at ${budgetS} s.)`);
  }
  const leakLines = [
    `Leak check: tf.memory().numTensors after the warm-up and after each block of ${leakShape.block} iterations, batch ${LEAK_BATCH}:`,
    '',
    '| preset | where | backend | time | tensors |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const o of outcomes.filter((x) => x.plan.batch === LEAK_BATCH)) {
    const counts = o.progress?.tensors ?? (o.result ? [o.result.numTensorsStart, o.result.numTensorsEnd] : []);
    leakLines.push(`| ${o.plan.preset} | ${o.plan.env} | ${o.plan.backend} | ${timeCell(o)} | ${counts.length ? counts.join('→') : '—'} |`);
  }
  lines.push(...(full ? [''] : []), ...leakLines);
  if (!full) lines.splice(0, 2);
  console.log(lines.join('\n'));
  mkdirSync(opts.out!.replace(/\/[^/]*$/, ''), { recursive: true });
  writeFileSync(opts.out!, JSON.stringify({ date: new Date().toISOString(), quick, stockBudgetS, budgetS, outcomes, appJs: { initial, all: size }, ...extra }, null, 2) + '\n');
  console.error(`wrote ${opts.out} (${statSync(opts.out!).size} bytes)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
