// The chapter 8 conditional GAN in the app: the preset's counts, a few iterations on WASM whose grid is labelled
// 0–9 as the book's 2×5 figure, and a grid of 3s only when the learner asks for 3s. Needs the wasm
// UnsortedSegmentSum and Conv2DBackpropFilter kernels (the kernels helper's, registered by selectBackend).
import { expect, test } from './pages/editor';

test('the CGAN preset trains on WASM with a grid labelled 0–9, then shows 3s only when asked', async ({ page, ed }) => {
  test.setTimeout(420_000);
  await page.getByRole('combobox', { name: 'Presets' }).selectOption('cgan-mnist');
  await expect(ed.node('g_embed')).toBeVisible();
  await expect(ed.totals).toHaveText('G 1,638,121 · D 122,657');
  await ed.setTrainingField('Iterations', '2');
  await ed.setTrainingField('Batch size', '4');
  await ed.setTrainingField('Sample interval', '2');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  const chooser = page.getByTestId('digit-chooser');
  await expect(chooser.getByRole('button', { pressed: true })).toHaveCount(10);

  await ed.button('Run').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 200_000 });
  await expect(page.getByTestId('training-backend')).toHaveText('WASM');
  const captions = page.getByTestId('labelled-grid').getByTestId('digit-caption');
  await expect(captions).toHaveText(['Digit: 0', 'Digit: 1', 'Digit: 2', 'Digit: 3', 'Digit: 4', 'Digit: 5', 'Digit: 6', 'Digit: 7', 'Digit: 8', 'Digit: 9']);
  await ed.screenshot('cgan-grid-0-9');

  // 3s only: every other digit off, then a fresh run.
  for (const d of [0, 1, 2, 4, 5, 6, 7, 8, 9]) await page.getByTestId(`digit-${d}`).click();
  await expect(chooser.getByRole('button', { pressed: true })).toHaveText(['3']);
  await ed.button('Run').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 200_000 });
  await expect(captions).toHaveCount(10);
  await expect(captions).toHaveText(Array(10).fill('Digit: 3'));
  await ed.screenshot('cgan-grid-3s');
});

test('the labelled grid and digit chooser at 1024×768 and phone size, in Korean', async ({ page, ed }) => {
  test.setTimeout(300_000);
  await page.getByRole('combobox', { name: 'Presets' }).selectOption('cgan-mnist');
  await ed.setTrainingField('Iterations', '1');
  await ed.setTrainingField('Batch size', '2');
  await ed.setTrainingField('Sample interval', '1');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await ed.button('Run').click();
  await expect(page.getByTestId('training-status')).toHaveText('Finished', { timeout: 200_000 });
  await ed.screenshot('cgan-1440-en');
  await page.getByLabel('Language').selectOption('ko');
  await expect(page.getByTestId('digit-caption').first()).toHaveText('숫자: 0');
  for (const [w, h] of [[1024, 768], [390, 844]] as const) {
    await page.setViewportSize({ width: w, height: h });
    // Smaller windows put training behind tabs (the phone's 학습 view, then the panel's 샘플 tab).
    const tab = (name: string) => page.getByRole('tab', { name, exact: true });
    if ((await tab('학습').count()) > 0) await tab('학습').click();
    if ((await tab('샘플').count()) > 0) await tab('샘플').click();
    await expect(page.getByTestId('labelled-grid')).toBeVisible();
    await page.getByTestId('labelled-grid').scrollIntoViewIfNeeded();
    await ed.screenshot(`cgan-${w}-ko`);
  }
});
