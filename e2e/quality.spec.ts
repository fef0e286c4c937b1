// The quality meter in the browser: a short run on WASM is scored in the training worker (the classifier and its
// reference come from the app's own assets), the panel shows the scores beside real data's, the Fréchet/IS chart
// and the coverage histogram; a clicked sample shows its 3 nearest training images; a conditional GAN shows its
// per-label accuracy. N is lowered through the documented `?evalSamples=` address option (the default stays 2,000),
// and `?evalEvery=1` scores every (tiny) sample interval instead of keeping scoring within 5% of training time.
import { test, expect } from '@playwright/test';
import { EditorPage } from './pages/editor';

let ed: EditorPage;

test.beforeEach(async ({ page }) => {
  ed = new EditorPage(page);
  await ed.openFresh();
  await ed.open('/?evalSamples=200&evalEvery=1');
});

test.afterEach(() => ed.expectNoErrors());

test('a WASM run is scored at each sample interval: scores beside real data, quality chart, coverage; nearest training images', async ({ page }) => {
  test.setTimeout(180_000);
  await ed.menu('File', 'Load MNIST preset');
  await ed.setTrainingField('Iterations', '60');
  await ed.setTrainingField('Sample interval', '20');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await ed.button('Run').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 150_000 });
  await expect(page.getByTestId('training-backend')).toHaveText('WASM');

  await page.getByRole('group', { name: 'Charts shown' }).getByRole('button', { name: 'Quality' }).click();
  const quality = page.getByTestId('quality');
  await expect(quality.getByTestId('quality-scores')).toContainText('At iteration 60, 200 samples');
  // An untrained generator is far from the digits: its Fréchet distance is well above real data's.
  const fd = Number(await quality.getByTestId('score-frechet').textContent());
  const fdReal = Number(await quality.getByTestId('score-frechet-real').textContent());
  expect(fdReal).toBeGreaterThan(0);
  expect(fd).toBeGreaterThan(fdReal);
  await expect(quality.getByTestId('score-inception-real')).toHaveText(/^\d+\.\d\d$/);
  await expect(quality.getByTestId('score-covered-real')).toHaveText('10/10');
  // Three scored checkpoints (20, 40, 60) on the Fréchet chart, real data's level as a second line.
  const charts = quality.getByTestId('chart');
  await expect(charts).toHaveCount(2);
  await expect(charts.first()).toHaveAttribute('data-points', '3');
  await expect(charts.first()).toContainText('real data');
  const bars = quality.getByTestId('coverage-bar');
  await expect(bars).toHaveCount(10);
  const shares = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-share'))));
  expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
  await expect(quality.getByTestId('coverage-threshold')).toBeAttached();
  await expect(quality.getByTestId('quality-cost')).toContainText(/Scoring took [\d,]+ ms in the worker \(\d+\.\d% of the training time/);
  await ed.screenshot('quality-wide');

  // The memorisation check: sample 6 of the last grid and its 3 nearest training images, nearest first.
  await page.getByRole('button', { name: 'Sample 6: find its nearest training images' }).click();
  const nearest = page.getByTestId('nearest');
  await expect(nearest.getByTestId('nearest-result')).toContainText('Nearest training images to sample 6 (iteration 60)');
  const matches = nearest.getByTestId('nearest-match');
  await expect(matches).toHaveCount(3);
  const distances = await matches.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-distance'))));
  expect(distances[0]).toBeGreaterThan(0);
  expect([...distances].sort((a, b) => a - b)).toEqual(distances);
  await expect(matches.first()).toContainText(/#\d+ · digit \d · distance \d+\.\d\d/);
});

test('the conditional GAN shows per-label accuracy for each digit asked for', async ({ page }) => {
  test.setTimeout(420_000);
  await page.getByRole('combobox', { name: 'Presets' }).selectOption('cgan-mnist');
  await ed.setTrainingField('Iterations', '2');
  await ed.setTrainingField('Batch size', '4');
  await ed.setTrainingField('Sample interval', '2');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await ed.button('Run').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 300_000 });
  await page.getByRole('group', { name: 'Charts shown' }).getByRole('button', { name: 'Quality' }).click();
  const perLabel = page.getByTestId('per-label-accuracy');
  await expect(perLabel).toBeVisible({ timeout: 60_000 });
  const digits = perLabel.getByTestId('per-label-digit');
  await expect(digits).toHaveCount(10);
  expect(await digits.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-digit'))))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (const a of await digits.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-accuracy'))))) {
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThanOrEqual(1);
  }
  await expect(perLabel).toContainText('Mean over digits');
  // Its grid's cells are clickable too: a labelled cell's nearest training images.
  await page.getByTestId('labelled-grid').getByRole('button', { name: 'Sample 8: find its nearest training images' }).click();
  await expect(page.getByTestId('nearest-match')).toHaveCount(3);
});
