// Checkpoint storage (src/ui/state/checkpointStore.ts, IndexedDB through idb-keyval): a browser that refuses the write
// (full quota) gets a message naming why, and training and Download go on from the in-memory copy.
import { test, expect } from '@playwright/test';
import { EditorPage } from './pages/editor';

test('a full storage quota is shown as a message; training and Download checkpoint go on', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => {
    // What Chromium raises when the origin's quota is used up.
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  const ed = new EditorPage(page);
  await ed.openFresh();
  await ed.setTrainingField('Iterations', '3000');
  await ed.setTrainingField('Batch size', '16');
  await ed.setTrainingField('Sample interval', '10');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await ed.button('Run').click();
  await expect(page.getByRole('status').filter({ hasText: 'Checkpoints cannot be kept in this browser: The quota has been exceeded.' })).toBeVisible({
    timeout: 120_000,
  });
  await ed.button('Stop').click();
  await expect(page.getByTestId('training-status')).toHaveText('Stopped');
  const [download] = await Promise.all([page.waitForEvent('download'), ed.button('Download checkpoint').click()]);
  expect(download.suggestedFilename()).toMatch(/-iteration-\d+\.ganvas-ckpt$/);
  ed.expectNoErrors();
});
