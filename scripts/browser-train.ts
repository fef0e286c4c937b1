// Trains a preset in the built app in Chromium, as a user would (preset menu, training fields, Run), and reports the
// wall time, the app's own ms/iteration readout and the log, with the last sample grid as a PNG. For measurements
// that are too long for the e2e suite (the small conv preset's 2,000 iterations on WASM, say).
//
//   npm run train:browser -- --preset dcgan-small-mnist --iterations 2000 --backend wasm --out out/browser
//
// Uses Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) with software WebGL, like the e2e suite. Exit codes: 0 the run
// finished, 1 it did not (timeout, error or fault on the page), 2 bad arguments.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import { PRESET_IDS } from '../src/graph/presets';

const USAGE = `Usage: npx tsx scripts/browser-train.ts --preset ID [--iterations N] [--batch-size B] [--sample-interval K]
       [--backend wasm|webgl] [--timeout-min M] [--port P] [--out DIR]
Presets: ${PRESET_IDS.join(', ')}. Serves dist/ (built first when missing; after edits run \`npx vite build\`).`;

function options() {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      iterations: { type: 'string' },
      'batch-size': { type: 'string' },
      'sample-interval': { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      'timeout-min': { type: 'string', default: '30' },
      port: { type: 'string', default: process.env.GANVAS_BENCH_PORT ?? '4183' },
      out: { type: 'string', default: 'out/browser' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const fail = (why: string): never => {
    console.error(`${why}\n${USAGE}`);
    process.exit(2);
  };
  if (!values.preset || !PRESET_IDS.includes(values.preset)) fail(`--preset must be one of ${PRESET_IDS.join(', ')}`);
  if (values.backend !== 'wasm' && values.backend !== 'webgl') fail('--backend must be wasm or webgl');
  const count = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a whole number ≥ 1, not ${v}`);
    return String(n);
  };
  return {
    preset: values.preset!,
    backend: values.backend as 'wasm' | 'webgl',
    fields: {
      Iterations: count('iterations', values.iterations),
      'Batch size': count('batch-size', values['batch-size']),
      'Sample interval': count('sample-interval', values['sample-interval']),
    },
    timeoutMs: Number(count('timeout-min', values['timeout-min'])) * 60_000,
    port: Number(count('port', values.port)),
    out: values.out!,
  };
}

const o = options();
mkdirSync(o.out, { recursive: true });
if (!existsSync('dist/index.html')) await build({ logLevel: 'warn' });
const server = await preview({ preview: { host: '127.0.0.1', port: o.port, strictPort: true }, logLevel: 'warn' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-background-networking', '--no-first-run'],
});
let exitCode = 1;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 2 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${o.port}/`);
  await page.evaluate(() => {
    localStorage.clear();
    localStorage.setItem('ganvas.lang', 'en');
  });
  await page.reload();
  await page.getByRole('combobox', { name: 'Presets' }).selectOption(o.preset);
  for (const [label, value] of Object.entries(o.fields)) {
    if (value === undefined) continue;
    const field = page.getByRole('spinbutton', { name: label, exact: true });
    await field.fill(value);
    await field.press('Enter');
    await field.blur();
  }
  await page.getByRole('combobox', { name: 'Backend' }).selectOption(o.backend);
  const status = page.getByTestId('training-status');
  const started = Date.now();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // Poll rather than wait on one locator: a fault or error ends the wait early with its message.
  let final = '';
  while (Date.now() - started < o.timeoutMs) {
    final = (await status.textContent())?.trim() ?? '';
    if (final === 'Finished' || final === 'Paused' || final === 'Stopped' || errors.length) break;
    await page.waitForTimeout(2000);
  }
  const wallS = (Date.now() - started) / 1000;
  const readout = {
    status: final,
    iteration: (await page.getByTestId('training-iteration').textContent())?.trim(),
    msPerIteration: (await page.getByTestId('training-speed').textContent())?.trim(),
    backend: (await page.getByTestId('training-backend').textContent())?.trim(),
    numTensors: (await page.getByTestId('training-tensors').textContent())?.trim(),
    alert: (await page.getByTestId('training-alert').textContent())?.trim() || undefined,
  };
  const log = await page.getByTestId('training-log').locator('div').allTextContents();
  // The grid as the page drew it (the unconditional canvas, or the labelled grid of a conditional GAN).
  const grid = page.getByTestId('sample-grid');
  const gridTarget = (await grid.isVisible()) ? grid : page.getByTestId('labelled-grid');
  if (await gridTarget.count()) await gridTarget.first().screenshot({ path: join(o.out, `${o.preset}-${o.backend}-grid.png`) });
  await page.screenshot({ path: join(o.out, `${o.preset}-${o.backend}-page.png`) });
  const report = { preset: o.preset, backend: o.backend, fields: o.fields, wallSeconds: wallS, readout, log, pageErrors: errors };
  writeFileSync(join(o.out, `${o.preset}-${o.backend}.json`), JSON.stringify(report, null, 2));
  console.log(log.join('\n'));
  console.log(`${o.preset} on ${readout.backend}: ${readout.status} at ${readout.iteration} after ${wallS.toFixed(1)} s (app readout ${readout.msPerIteration}/iteration, ${readout.numTensors} tensors)`);
  if (errors.length) console.error(`page errors: ${errors.join('; ')}`);
  exitCode = final === 'Finished' && !errors.length ? 0 : 1;
} finally {
  await browser.close();
  await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
}
process.exit(exitCode);
