// `npm run bench:gradcheck`: builds the benchmark page and runs ?task=gradcheck in headless Chromium on WebGL
// (SwiftShader here) and on wasm (Ganvas's kernels): every convolution and gradient case of
// src/testing/gradientCases.ts against the cpu backend in the same page. Prints the largest relative error per case;
// exits 1 when any exceeds 1e-4 or the tensor count moved. GANVAS_BENCH_PORT picks the port (default 4193).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.GANVAS_BENCH_PORT ?? 4193);
const CHROMIUM_ARGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const backends = (process.argv.find((a) => a.startsWith('--backends='))?.slice(11) ?? 'webgl,wasm').split(',');

interface Check {
  backend: string;
  renderer?: string;
  float32?: boolean;
  results: Array<{ name: string; errors: number[]; ms: number }>;
  worst: number;
  tensorsBefore: number;
  tensorsAfter: number;
  ok: boolean;
  error?: string;
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) execFileSync('npx', ['vite', 'build', '--config', 'bench/vite.config.ts'], { cwd: root, stdio: 'inherit' });
  const server = await preview({ configFile: `${root}bench/vite.config.ts`, preview: { port, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  let failed = false;
  try {
    for (const backend of backends) {
      const page = await browser.newPage();
      // An error at load (e.g. a Node-only import) would otherwise leave __bench unset until the timeout.
      page.on('pageerror', (e) => void page.evaluate((m) => (window.__bench ??= { error: m }), e.message).catch(() => {}));
      await page.goto(`http://127.0.0.1:${port}/?task=gradcheck&backend=${backend}`);
      await page.waitForFunction(() => window.__bench !== undefined, undefined, { timeout: 900_000 });
      const r = (await page.evaluate(() => window.__bench)) as Check;
      await page.close();
      if (r.error) throw new Error(r.error);
      console.log(`\n${backend}${r.renderer ? ` (${r.renderer}, float32 render ${r.float32})` : ''}: worst ${r.worst.toExponential(2)}, tensors ${r.tensorsBefore}→${r.tensorsAfter}`);
      console.log('| case | max rel. error per output (y, dx, dW or one per input) | ms |\n| --- | --- | --- |');
      for (const c of r.results) console.log(`| ${c.name} | ${c.errors.map((e) => e.toExponential(1)).join(', ')} | ${c.ms.toFixed(0)} |`);
      if (!r.ok || r.tensorsBefore !== r.tensorsAfter) failed = true;
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (failed) {
    console.error('FAILED: an error above 1e-4 or a tensor count that moved');
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
