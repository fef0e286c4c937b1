// Teaching and take-home: Korean, node explanations and the Learn panel, the walkthrough of one real iteration,
// the Keras export, downloading a trained generator and sampling it back, and teacher mode. Page errors fail a test.
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, test } from './pages/editor';

const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

test('Korean and back; a node explains itself; the Learn panel has a heading per concept', async ({ page, ed }) => {
  await page.getByLabel('Language').selectOption('ko');
  await ed.button('배우기').click();
  const learnKo = region(page, '배우기');
  await expect(learnKo.getByRole('heading', { name: 'LeakyReLU가 기울기를 살려 두는 이유' })).toBeVisible();
  await expect(learnKo.getByRole('heading', { name: '교사용 안내' })).toBeVisible();
  await page.getByLabel('언어').selectOption('en');
  await expect(ed.button('Learn')).toHaveAttribute('aria-pressed', 'true');

  const learn = region(page, 'Learn');
  for (const h of [
    'Why LeakyReLU keeps gradients alive',
    'Why tanh output, and pixels in [-1, 1]',
    'Sigmoid: the probability that an image is real',
    'Binary cross-entropy',
    'Adam',
    'Why each stage freezes the other network',
    'For teachers',
  ]) {
    await expect(learn.getByRole('heading', { name: h, exact: true })).toBeVisible();
  }
  await expect(learn).toContainText('?teacher=readonly');
  await ed.button('Learn').click();
  await expect(learn).toHaveCount(0);

  // A node's own explanation (inspector) and the concept tooltip on its title.
  await ed.selectNode('g_lrelu');
  await page.getByRole('complementary').getByText('Explain', { exact: true }).click();
  await expect(page.getByRole('complementary').locator('.explain p')).toContainText('LeakyReLU lets a small fraction α');
  await expect(ed.node('g_lrelu').locator('.title')).toHaveAttribute('title', /gradient is never exactly zero/);
  await expect(ed.node('d_dense2').locator('.title')).toHaveAttribute('title', /probability real/);
  await expect(page.getByRole('complementary').getByText('α (negative slope)', { exact: true })).toHaveAttribute('title', /LeakyReLU passes/);
});

test('the walkthrough plays one real iteration stage by stage, lighting what each stage touches', async ({ page, ed }) => {
  test.setTimeout(240_000);
  await ed.button('Walkthrough').click();
  const walk = region(page, 'Walkthrough');
  await expect(walk.getByTestId('walk-title')).toHaveText('One training iteration, stage by stage');
  // The CPU backend: SwiftShader's WebGL is slow to compile shaders, and the numbers are the same kind.
  await walk.getByLabel('Backend').selectOption('cpu');
  const title = walk.getByTestId('walk-title');
  const next = walk.getByRole('button', { name: 'Next', exact: true });

  await next.click();
  await expect(title).toHaveText('1. Sample 128 real images', { timeout: 120_000 });
  await expect(walk.getByTestId('walk-progress')).toHaveText('Stage 1 of 6 · iteration 1');
  await expect(walk.getByTestId('walk-images')).toBeVisible();
  await expect(ed.node('d_image')).toHaveAttribute('data-teach-role', 'read');

  await next.click();
  await expect(title).toHaveText('2. z ~ N(0, 1) and G(z)', { timeout: 60_000 });
  await expect(walk.getByTestId('walk-images')).toHaveAttribute('aria-label', 'The first 16 fakes G(z)');
  await expect(walk.locator('dd[data-value="zStd"]')).toHaveText(/^(0\.9|1\.0)\d\d$/);
  for (const id of ['g_z', 'g_dense1', 'g_dense2', 'g_reshape']) await expect(ed.node(id)).toHaveAttribute('data-teach-role', 'read');

  await next.click();
  await expect(title).toHaveText('3. D step on real images, label 1', { timeout: 60_000 });
  await expect(walk.locator('dd[data-value="dLossReal"]')).toHaveText(/^\d+\.\d{4}$/);
  await expect(walk.locator('dd[data-value="accReal"]')).toHaveText(/%$/);
  await expect(ed.node('d_dense1')).toHaveAttribute('data-teach-role', 'updated');
  await expect(ed.node('g_dense1')).toHaveAttribute('data-teach-role', 'frozen');
  await expect(page.locator('.gan-group-generator .gan-group-stage')).toHaveText('frozen ❄');
  await expect(page.locator('.gan-group-discriminator .gan-group-stage')).toHaveText('updating');

  await next.click();
  await expect(title).toHaveText('4. D step on fakes, label 0', { timeout: 60_000 });
  for (const k of ['dLossFake', 'accFake', 'dLoss', 'acc']) await expect(walk.locator(`dd[data-value="${k}"]`)).not.toBeEmpty();

  await next.click();
  await expect(title).toHaveText('5. G step through the combiner, D frozen ❄', { timeout: 60_000 });
  await expect(walk.locator('dd[data-value="gLoss"]')).toHaveText(/^\d+\.\d{4}$/);
  await expect(ed.node('g_dense2')).toHaveAttribute('data-teach-role', 'updated');
  await expect(ed.node('d_dense2')).toHaveAttribute('data-teach-role', 'frozen');
  await expect(ed.node('gan')).toHaveAttribute('data-teach-role', 'frozen');
  await expect(page.locator('[data-testid="connection"][data-edge-id="e10"]')).toHaveAttribute('data-teach-role', 'updated');
  await expect(page.locator('.gan-group-discriminator .gan-group-stage')).toHaveText('frozen ❄');
  await ed.screenshot('walkthrough');

  await next.click();
  await expect(title).toHaveText('6. The log line', { timeout: 60_000 });
  const line = walk.getByTestId('walk-line');
  await expect(line).toHaveText(/^1 \[D loss: \d+\.\d{6}, acc\.: \d+\.\d{2}%\] \[G loss: \d+\.\d{6}\]$/);
  await expect(page.getByTestId('training-log')).toContainText((await line.textContent()) ?? '');

  // Back revisits a stage already taken (the numbers stay as measured); Next returns without computing again.
  await walk.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(title).toHaveText('5. G step through the combiner, D frozen ❄');
  await next.click();
  await expect(title).toHaveText('6. The log line');
  await walk.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.locator('[data-teach-role]')).toHaveCount(0);
});

test('Export Keras downloads a runnable script for the preset', async ({ page, ed }, info) => {
  const [download] = await Promise.all([page.waitForEvent('download'), ed.menu('File', 'Export Keras')]);
  expect(download.suggestedFilename()).toMatch(/\.py$/);
  const path = info.outputPath('ganvas.py');
  await download.saveAs(path);
  const script = readFileSync(path, 'utf8');
  expect(script).toContain('Dense(128');
  expect(script).toContain('LeakyReLU');
  expect(script).toContain('114064');
  expect(script).toContain('print("%s parameters: %s"');
});

test('train a few iterations, download the generator, load it back and sample a grid', async ({ page, ed }, info) => {
  test.setTimeout(240_000);
  const training = page.getByTestId('training');
  await training.getByLabel('Backend').selectOption('cpu');
  const iterations = training.getByLabel('Iterations', { exact: true });
  await iterations.fill('20');
  await iterations.blur();
  const interval = training.getByLabel('Sample interval', { exact: true });
  await interval.fill('10');
  await interval.blur();
  await training.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 180_000 });
  await expect(page.getByTestId('training-log')).toContainText('20 [D loss:');

  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await ed.menu('Model', 'Download generator');
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
  const names = downloads.map((d) => d.suggestedFilename()).sort();
  expect(names).toEqual(['generator.json', 'generator.weights.bin']);
  const paths = await Promise.all(
    downloads.map(async (d) => {
      const p = info.outputPath(d.suggestedFilename());
      await d.saveAs(p);
      return p;
    }),
  );
  const modelJson = JSON.parse(readFileSync(paths[names.indexOf('generator.json')] ?? paths[0], 'utf8'));
  expect(modelJson.weightsManifest[0].paths).toEqual(['./generator.weights.bin']);

  await page.getByLabel('Load generator').setInputFiles(paths);
  const loaded = region(page, 'Samples from the loaded generator');
  await expect(loaded.getByTestId('loaded-grid')).toBeVisible();
  // 4×4 MNIST-sized tiles, not all black.
  const stats = await loaded.getByTestId('loaded-grid').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let lit = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 0) lit++;
    return { w: c.width, h: c.height, lit };
  });
  expect(stats).toMatchObject({ w: 112, h: 112 });
  expect(stats.lit).toBeGreaterThan(100);
});

test('teacher mode: read-only refuses edits with its message; hide= removes controls', async ({ page, ed }) => {
  await ed.open('/?teacher=readonly&hide=save');
  await expect(page.getByTestId('locked-banner')).toHaveText('This graph is read-only in teacher mode');
  // Every editing control is gone or locked: no New/Open/preset, undo, Arrange, palette, delete; fields read-only.
  await page.getByRole('button', { name: /^File/ }).click();
  await expect(page.getByRole('menuitem', { name: 'New graph' })).toHaveCount(0);
  await expect(page.getByRole('menuitem', { name: 'Load MNIST preset' })).toHaveCount(0);
  await expect(page.getByRole('menuitem', { name: /^Open/ })).toHaveCount(0);
  await expect(page.getByRole('menuitem', { name: 'Save' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  for (const name of ['Undo', 'Redo', 'Arrange']) await expect(ed.button(name)).toHaveCount(0);
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await ed.selectNode('g_dense1');
  const units = page.getByRole('complementary').getByLabel('Units', { exact: true });
  await expect(units).not.toBeEditable();
  await expect(page.getByRole('complementary').getByLabel('Activation', { exact: true })).toBeDisabled();
  await expect(page.getByRole('complementary').getByLabel('Label', { exact: true })).not.toBeEditable();
  await expect(ed.button('Delete node')).toHaveCount(0);
  await expect(page.getByTestId('training').getByLabel('Iterations', { exact: true })).toBeDisabled();
  // Typing, deleting, the context menu and the node search change nothing.
  await units.press('Backspace');
  await expect(units).toHaveValue('128');
  await page.keyboard.press('Delete');
  await ed.canvas.dblclick({ position: { x: 30, y: 30 } });
  await expect(page.getByTestId('node-search')).toHaveCount(0);
  await expect(page.locator('[data-testid="node"]')).toHaveCount(13);
  await expect(ed.totals).toHaveText('G 114,064 · D 100,609');
  // The share UI offers the read-only link; learners can still train (Run is there).
  await expect(ed.button('Run')).toBeEnabled();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await ed.menu('File', 'Copy teacher link');
  await expect(page.getByLabel('Share link')).toHaveValue(/\?teacher=readonly#graph=/);
});
