// The runs library (issue 15): every run is kept in IndexedDB; two runs of the classic preset (128 and 256 hidden
// units in g_dense1) are compared — the diff line and overlaid curves; one is exported and imported back (same name
// and history), renamed, deleted and reopened; a full storage quota is a message and loses no run.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EditorPage } from './pages/editor';

const PRESET = 'Classic MNIST GAN (GANs in Action, ch. 3)';

async function shortRuns(ed: EditorPage) {
  await ed.setTrainingField('Iterations', '40');
  await ed.setTrainingField('Batch size', '16');
  await ed.setTrainingField('Sample interval', '20');
  await ed.page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
}

async function trainToEnd(ed: EditorPage) {
  await ed.button('Run').click();
  await expect(ed.page.getByTestId('training-status')).toHaveText('Finished', { timeout: 120_000 });
}

const panel = (page: Page) => page.getByTestId('runs-panel');
const rows = (page: Page) => panel(page).getByTestId('run-row');
const row = (page: Page, name: string) => rows(page).filter({ has: page.getByTestId('run-name').getByText(name, { exact: true }) });

async function openLibrary(ed: EditorPage) {
  await ed.menu('File', 'Runs…');
  await expect(panel(ed.page)).toBeVisible();
}

/** No serious or critical axe-core violations in the library's dialog. */
async function scan(page: Page, view: string) {
  const result = await new AxeBuilder({ page }).include('[data-testid="runs-panel"]').analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`), view).toEqual([]);
}

/** The `d` of each curve in a chart of the compare view, by run name (the path's <title>). */
async function curves(page: Page, title: string): Promise<Record<string, string>> {
  const chart = page.getByTestId('compare-view').getByTestId('chart').filter({ has: page.locator(`svg[aria-label="${title}"]`) });
  return chart.locator('path').evaluateAll((ps) => Object.fromEntries(ps.map((p) => [p.querySelector('title')?.textContent ?? '', p.getAttribute('d') ?? ''])));
}

test('two runs kept, compared (diff line, overlaid curves), exported and imported, renamed, deleted, reopened', async ({ page }) => {
  test.setTimeout(300_000);
  const ed = new EditorPage(page);
  await ed.openFresh();
  await shortRuns(ed);
  await trainToEnd(ed);
  await ed.selectNode('g_dense1');
  await ed.setParam('Units', '256');
  await trainToEnd(ed);

  await openLibrary(ed);
  const first = `${PRESET} · run 1`;
  const second = `${PRESET} · run 2`;
  await expect(rows(page)).toHaveCount(2);
  await expect(panel(page).getByTestId('run-name')).toHaveText([second, first]);
  await expect(row(page, first)).toContainText('finished · 40 of 40 iterations · checkpoint at 40');
  await expect(row(page, first).getByTestId('run-grid')).toHaveAttribute('data-iteration', '40');
  await scan(page, 'runs list');

  // Compare: the diff in words and one curve per run in every chart.
  await expect(page.getByTestId('runs-compare')).toBeDisabled();
  await page.getByRole('checkbox', { name: `Compare "${first}"` }).check();
  await page.getByRole('checkbox', { name: `Compare "${second}"` }).check();
  await page.getByTestId('runs-compare').click();
  const view = page.getByTestId('compare-view');
  await expect(view.getByTestId('compare-run')).toHaveText([first, second]);
  await expect(view.getByTestId('diff-line')).toHaveText(['g_dense1: units 128 → 256']);
  await expect(view.getByTestId('compare-changes')).toContainText(`"${second}" compared with "${first}":`);
  for (const title of ['D loss', 'G loss', 'D accuracy']) {
    const c = await curves(page, title);
    // Named in the legend (long names shortened, still told apart).
    expect(new Set(Object.keys(c)).size, title).toBe(2);
    expect(Object.values(c).every((d) => d.split('L').length === 2), `${title}: two points per run`).toBe(true);
  }
  await expect(view.getByTestId('run-grid')).toHaveCount(2);
  await ed.screenshot('runs-compare');
  await scan(page, 'compare view');
  await view.getByRole('button', { name: 'Back to the list' }).click();

  // Export the first run and import it back: the same name, and the same curves (nothing changed between them).
  const original = (await row(page, first).getAttribute('data-run-id'))!;
  const [download] = await Promise.all([page.waitForEvent('download'), row(page, first).getByRole('button', { name: 'Export' }).click()]);
  expect(download.suggestedFilename()).toMatch(/run-1\.ganvas-run\.json$/);
  await panel(page).getByLabel('Import run…').setInputFiles((await download.path())!);
  await expect(page.getByTestId('runs-status')).toHaveText(`Imported the run "${first}".`);
  await expect(rows(page)).toHaveCount(3);
  await expect(row(page, first)).toHaveCount(2);
  const imported = (await row(page, first).evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')!))).find((id) => id !== original)!;
  await page.locator(`[data-run-id="${original}"] input[type=checkbox]`).check();
  await page.locator(`[data-run-id="${imported}"] input[type=checkbox]`).check();
  await page.getByRole('checkbox', { name: `Compare "${second}"` }).uncheck();
  await page.getByTestId('runs-compare').click();
  await expect(view.getByTestId('diff-line')).toHaveText(['same graph and training settings']);
  for (const title of ['D loss', 'G loss', 'D accuracy']) {
    const d = await page.getByTestId('compare-view').getByTestId('chart').filter({ has: page.locator(`svg[aria-label="${title}"]`) }).locator('path').evaluateAll((ps) => ps.map((p) => p.getAttribute('d')));
    expect(d).toHaveLength(2);
    expect(d[0], `${title}: the imported history equals the original's`).toBe(d[1]);
  }
  await view.getByRole('button', { name: 'Back to the list' }).click();

  // A malformed file: a clear message, and the list stays as it was.
  await panel(page).getByLabel('Import run…').setInputFiles({ name: 'broken.ganvas-run.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"ganvas-run","version":1,"name":"x"}') });
  await expect(page.getByTestId('runs-alert')).toContainText('Could not import "broken.ganvas-run.json"; nothing was changed: createdAt: ');
  await expect(rows(page)).toHaveCount(3);

  // Rename the imported copy, then delete it; both survive a reload.
  const copy = page.locator(`[data-run-id="${imported}"]`);
  await copy.getByRole('button', { name: 'Rename' }).click();
  await copy.getByRole('textbox').fill('   ');
  await copy.getByRole('button', { name: 'Save name' }).click();
  await expect(copy).toContainText('A run needs a name.');
  await copy.getByRole('textbox').fill('128 units, imported');
  await copy.getByRole('textbox').press('Enter');
  await expect(copy.getByTestId('run-name')).toHaveText('128 units, imported');
  await page.reload();
  await expect(ed.canvas).toBeVisible();
  await openLibrary(ed);
  // The imported run keeps the time it was trained, so it sorts beside the original.
  expect((await panel(page).getByTestId('run-name').allTextContents()).sort()).toEqual(['128 units, imported', first, second].sort());
  await copy.getByRole('button', { name: 'Delete' }).click();
  await copy.getByTestId('run-confirm-delete').click();
  await expect(page.getByTestId('runs-status')).toHaveText('Deleted the run "128 units, imported".');
  await expect(rows(page)).toHaveCount(2);

  // Reopen the first run: its graph (128 units) back on the canvas, its checkpoint paused in the worker.
  await row(page, first).getByRole('button', { name: 'Reopen' }).click();
  await expect(panel(page)).toBeHidden();
  await expect(ed.totals).toHaveText('G 114,064 · D 100,609');
  await expect(page.getByTestId('training-status')).toHaveText('Paused', { timeout: 60_000 });
  await expect(page.getByTestId('training-iteration')).toHaveText('40 / 40');
  await page.reload();
  await expect(ed.canvas).toBeVisible();
  await openLibrary(ed);
  await expect(rows(page)).toHaveCount(2);
  await page.keyboard.press('Escape');
  await expect(panel(page)).toBeHidden();
  ed.expectNoErrors();
});

test('a full storage quota is a message in the library; no run is lost and the unsaved one can be exported', async ({ page }) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => {
    // What Chromium raises when the origin's quota is used up, once the test says the disk is full.
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args: Parameters<typeof put>) {
      if (localStorage.getItem('test.quotaFull') === '1') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  const ed = new EditorPage(page);
  await ed.openFresh();
  await shortRuns(ed);
  await trainToEnd(ed);
  await page.evaluate(() => localStorage.setItem('test.quotaFull', '1'));
  await trainToEnd(ed);
  await openLibrary(ed);
  const second = `${PRESET} · run 2`;
  await expect(page.getByTestId('runs-alert')).toContainText(`The runs library could not save "${second}": The quota has been exceeded. Nothing was deleted.`);
  await expect(rows(page)).toHaveCount(2);
  await expect(row(page, second).getByTestId('run-unsaved')).toHaveText('Not saved in this browser: export it to keep it.');
  const [download] = await Promise.all([page.waitForEvent('download'), row(page, second).getByRole('button', { name: 'Export' }).click()]);
  expect(download.suggestedFilename()).toMatch(/run-2\.ganvas-run\.json$/);
  await ed.screenshot('runs-quota');
  // The stored run is still there after a reload; the new one was exported above.
  await page.reload();
  await expect(ed.canvas).toBeVisible();
  await openLibrary(ed);
  await expect(panel(page).getByTestId('run-name')).toHaveText([`${PRESET} · run 1`]);
  // Errors the quota causes elsewhere (the autosave, the checkpoint slot) are messages too, not page errors.
  expect(ed.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
});

test('a run resumed after a reload (the resume offer) goes on in the same library run', async ({ page }) => {
  test.setTimeout(240_000);
  const ed = new EditorPage(page);
  await ed.openFresh();
  await ed.setTrainingField('Iterations', '3000');
  await ed.setTrainingField('Batch size', '16');
  await ed.setTrainingField('Sample interval', '10');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await ed.button('Run').click();
  const kept = page.getByTestId('checkpoint-kept');
  await expect(kept).toHaveText(/iteration ([3-9]\d|\d{3,})$/, { timeout: 120_000 });
  await ed.button('Pause').click();
  await expect(page.getByTestId('training-status')).toHaveText('Paused');
  await page.waitForTimeout(800); // the library saves at most every 400 ms
  const n = Number((await kept.textContent())!.replace(/\D+/g, ''));

  await page.reload();
  const offer = page.getByRole('dialog', { name: `Resume training from iteration ${n}?` });
  await expect(offer).toBeVisible();
  await offer.getByRole('button', { name: 'Resume' }).click();
  const keptAt = async () => Number(((await kept.textContent()) ?? '').replace(/\D+/g, ''));
  await expect.poll(keptAt, { timeout: 120_000 }).toBeGreaterThan(n + 10);
  await ed.button('Stop').click();
  await expect(page.getByTestId('training-status')).toHaveText('Stopped');
  await openLibrary(ed);
  // One run: the resumed session went on in the run it came from (a second row would be a new run).
  await expect(rows(page)).toHaveCount(1);
  const text = (await rows(page).textContent())!;
  const at = Number(/checkpoint at ([\d,]+)/.exec(text)![1].replace(/,/g, ''));
  expect(at, text).toBeGreaterThan(n);
  await expect(rows(page)).toContainText(`${PRESET} · run 1`);
  await expect(rows(page)).toContainText('stopped');
});
