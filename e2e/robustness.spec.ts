// Robustness: the built app runs under a strict Content-Security-Policy, text from files is shown as text, edits are
// autosaved within a second (and a corrupted autosave never blanks the page), training errors reach the person, and
// the last training checkpoint survives a reload and resumes where it stopped.
import { readFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { EditorPage } from './pages/editor';

const AUTOSAVE_KEY = 'ganvas.autosave.v1';
const PRESET_TOTALS = 'G 114,064 · D 100,609';
const XSS = '<img src=x onerror=alert(1)>';

interface Violation {
  directive: string;
  blocked: string;
}

/** Records every CSP violation from the first script on; a dialog (alert from injected markup) fails the test. */
async function guard(page: Page, failures: string[]) {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: Violation[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI }));
  });
  page.on('dialog', (d) => {
    failures.push(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp);

let ed: EditorPage;
let failures: string[];

test.beforeEach(async ({ page }) => {
  failures = [];
  await guard(page, failures);
  ed = new EditorPage(page);
  await ed.openFresh();
});

test.afterEach(async ({ page }) => {
  expect(failures).toEqual([]);
  expect(await violations(page)).toEqual([]);
  ed.expectNoErrors();
});

test('the built app carries a strict CSP and no inline script; normal use violates nothing', async ({ page, request }) => {
  const html = await (await request.get('/')).text();
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replace(/&#39;/g, "'");
  expect(csp, 'CSP meta tag in index.html').toBeTruthy();
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  // Every <script> loads a file: no inline code for the policy to block (or to have to allow).
  const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts) expect(s).toMatch(/^<script\b[^>]*\bsrc="[^"]+"[^>]*><\/script>$/);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', csp!);

  // Normal use: edit, undo, save (a blob download), open it again, train a few iterations on WASM.
  await ed.selectNode('g_dense1');
  await ed.setParam('Units', '256');
  await ed.button('Undo').click();
  const [download] = await Promise.all([page.waitForEvent('download'), ed.menu('File', 'Save')]);
  await page.getByLabel('Open', { exact: true }).setInputFiles(await download.path());
  await expect(ed.totals).toHaveText(PRESET_TOTALS);
  await ed.setTrainingField('Iterations', '6');
  await ed.setTrainingField('Batch size', '16');
  await ed.setTrainingField('Sample interval', '3');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await ed.button('Run').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 90_000 });
  await expect(page.getByTestId('training-backend')).toHaveText('WASM');
  await expect(page.getByTestId('training-log').locator('div')).toHaveCount(2);
});

test('labels and names from an opened file are shown as text, never as markup', async ({ page }) => {
  const doc = JSON.parse(readFileSync('presets/mnist-gan.json', 'utf8')) as { name: string; nodes: { id: string; label?: string }[] };
  doc.name = XSS;
  doc.nodes.find((n) => n.id === 'g_dense1')!.label = XSS;
  doc.nodes.find((n) => n.id === 'd_dense1')!.label = `<script>alert(2)</script>`;
  await page.getByLabel('Open', { exact: true }).setInputFiles({ name: `${XSS}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(ed.notice).toContainText(`Opened "${XSS}"`);

  const check = async () => {
    await expect(ed.node('g_dense1').locator('.sub')).toHaveText(XSS);
    await expect(ed.node('d_dense1').locator('.sub')).toHaveText('<script>alert(2)</script>');
    await expect(page.getByRole('banner')).toContainText(XSS);
    await ed.selectNode('g_dense1');
    await expect(page.getByRole('complementary').getByLabel('Label', { exact: true })).toHaveValue(XSS);
    // The markup never became elements.
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    await expect(page.locator('#app script')).toHaveCount(0);
  };
  await check();
  // The same text round-trips through the autosave.
  await page.reload();
  await check();
  await page.waitForTimeout(300); // a late onerror would have fired by now
});

test('an edit is autosaved within one second and survives a reload', async ({ page }) => {
  await ed.selectNode('g_dense1');
  await ed.setParam('Units', '200');
  await expect(ed.totals).toHaveText('G 177,784 · D 100,609');
  await expect
    .poll(() => page.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? '{}').nodes?.find((n: { id: string }) => n.id === 'g_dense1')?.params.units, AUTOSAVE_KEY), {
      timeout: 1000,
      intervals: [50],
    })
    .toBe(200);
  await page.reload();
  await expect(ed.totals).toHaveText('G 177,784 · D 100,609');
  await ed.selectNode('g_dense1');
  await expect(page.getByRole('complementary').getByLabel('Units', { exact: true })).toHaveValue('200');
});

test('a corrupted autosave gives a message and the preset, never a blank page', async ({ page }) => {
  for (const junk of ['{"nodes": [', '\u0000\u0001garbage', JSON.stringify({ version: 1, nodes: 'nope', edges: 7 })]) {
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [AUTOSAVE_KEY, junk] as const);
    await page.reload();
    await expect(ed.notice).toContainText('The autosaved graph could not be read');
    await expect(ed.totals).toHaveText(PRESET_TOTALS);
    await expect(page.locator('[data-testid="node"]')).toHaveCount(13);
    // The unreadable text is kept aside rather than overwritten, so nothing is lost for good.
    expect(await page.evaluate((k) => localStorage.getItem(`${k}.unreadable`), AUTOSAVE_KEY)).toBe(junk);
  }
});

test('an out-of-memory error from the worker is shown as a message, not a blank page', async ({ page }) => {
  // A real OOM cannot be forced reliably on SwiftShader; feed the worker's error message (its raw tfjs wording) through
  // the same client path the worker's error handler uses.
  await page.evaluate(() => {
    const w = window as unknown as { ganvas: { training: { receive(m: unknown): void } } };
    w.ganvas.training.receive({ type: 'error', message: 'Failed to allocate texture of size 8192x4096' });
  });
  await expect(page.getByTestId('training-alert')).toHaveText('Out of memory while training: Failed to allocate texture of size 8192x4096. Try a smaller batch or fewer units.');
  await expect(ed.totals).toHaveText(PRESET_TOTALS);
  await expect(ed.button('Run')).toBeEnabled();
});

test('the last checkpoint survives a reload and training resumes from its iteration; checkpoint files', async ({ page }, info) => {
  test.setTimeout(240_000);
  await ed.setTrainingField('Iterations', '3000');
  await ed.setTrainingField('Batch size', '16');
  await ed.setTrainingField('Sample interval', '10');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);
  await ed.button('Run').click();
  const kept = page.getByTestId('checkpoint-kept');
  await expect(kept).toHaveText(/iteration ([3-9]\d|\d{3,})$/, { timeout: 120_000 });
  await ed.button('Stop').click();
  const status = page.getByTestId('training-status');
  await expect(status).toHaveText('Stopped');
  await page.waitForTimeout(500); // a checkpoint read back just before Stop may still be on its way to IndexedDB
  const n = Number((await kept.textContent())!.replace(/\D+/g, ''));
  expect(n % 10).toBe(0);
  // The loss chart says how many points it draws (one per sample interval here).
  const lossChart = page.getByTestId('chart').first();
  const pointsBefore = Number(await lossChart.getAttribute('data-points'));
  expect(pointsBefore).toBeGreaterThanOrEqual(n / 10);

  // Download it while we are here.
  const [download] = await Promise.all([page.waitForEvent('download'), ed.button('Download checkpoint').click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^[\\p{L}\\p{N}._-]+-iteration-${n}\\.ganvas-ckpt$`, 'u'));
  const file = info.outputPath('run.ganvas-ckpt');
  await download.saveAs(file);
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString('latin1')).toBe('GANVASCK');

  // Reload, as after a crash: the checkpoint is offered.
  await page.reload();
  const offer = page.getByRole('dialog', { name: `Resume training from iteration ${n}?` });
  await expect(offer).toBeVisible();
  await expect(page.getByTestId('training-status')).toHaveText('Not started');
  await offer.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(offer).toHaveCount(0);
  await expect(status).toHaveText('Training', { timeout: 60_000 });
  // The run goes on from n (never from 0), and the charts and log keep their earlier points.
  const counter = page.getByTestId('training-iteration');
  await expect.poll(async () => Number((await counter.textContent())!.split('/')[0].replace(/\D+/g, '')), { timeout: 60_000 }).toBeGreaterThan(n);
  await expect(page.getByTestId('training-log').locator('div').first()).toHaveText(/^10 \[D loss/);
  expect(Number(await lossChart.getAttribute('data-points'))).toBeGreaterThanOrEqual(pointsBefore);
  await expect(kept).toHaveText(new RegExp(`iteration (\\d+)$`));
  await expect.poll(async () => Number((await kept.textContent())!.replace(/\D+/g, '')), { timeout: 60_000 }).toBeGreaterThan(n);
  await ed.button('Stop').click();
  await expect(status).toHaveText('Stopped');

  // A malformed or truncated checkpoint file gives a message and changes nothing.
  const logLines = await page.getByTestId('training-log').locator('div').count();
  const open = page.getByLabel('Open checkpoint', { exact: true });
  await open.setInputFiles({ name: 'junk.ganvas-ckpt', mimeType: 'application/octet-stream', buffer: Buffer.from('definitely not a checkpoint') });
  await expect(ed.notice).toContainText('Could not open checkpoint "junk.ganvas-ckpt"; nothing was changed');
  await open.setInputFiles({ name: 'cut.ganvas-ckpt', mimeType: 'application/octet-stream', buffer: bytes.subarray(0, bytes.length - 1000) });
  await expect(ed.notice).toContainText('Could not open checkpoint "cut.ganvas-ckpt"; nothing was changed: the checkpoint is truncated');
  await expect(status).toHaveText('Stopped');
  await expect(page.getByTestId('training-log').locator('div')).toHaveCount(logLines);
  await expect(ed.totals).toHaveText(PRESET_TOTALS);

  // The downloaded file opens paused at its iteration, ready to resume.
  await open.setInputFiles(file);
  await expect(status).toHaveText('Paused', { timeout: 60_000 });
  await expect(counter).toHaveText(new RegExp(`^${n.toLocaleString('en-US')} /`));
  await expect(page.getByTestId('training-log').locator('div')).toHaveCount(n / 10);

  // Discarding forgets it: no offer after the next reload.
  await page.reload();
  const again = page.getByTestId('resume-offer');
  await expect(again).toBeVisible();
  await again.getByRole('button', { name: 'Discard' }).click();
  await expect(again).toHaveCount(0);
  const slotEmpty = () =>
    page.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          const req = indexedDB.open('ganvas');
          req.onsuccess = () => {
            const get = req.result.transaction('checkpoints', 'readonly').objectStore('checkpoints').get('latest');
            get.onsuccess = () => resolve(get.result === undefined);
          };
        }),
    );
  await expect.poll(slotEmpty).toBe(true);
  await page.reload();
  await expect(ed.totals).toHaveText(PRESET_TOTALS);
  await page.waitForTimeout(500);
  await expect(again).toHaveCount(0);
});
