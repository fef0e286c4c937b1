// An accessibility scan (axe-core) of the main views: the editor at each layout, the menus, the Problems list, the
// node search, Learn and Walkthrough, and the phone's training view. No serious or critical violations.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EditorPage } from './pages/editor';

async function scan(page: Page, view: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
  console.log(`[measure] axe ${view}: ${result.violations.length} violations (${bad.length} serious/critical: ${result.violations.map((v) => `${v.id}/${v.impact}`).join(', ')}), ${result.passes.length} rules passed`);
  expect(summary, view).toEqual([]);
}

test('editor, menus, problems, node search, Learn and Walkthrough have no serious or critical violations', async ({ page }) => {
  test.setTimeout(120_000);
  const ed = new EditorPage(page);
  await ed.openFresh();
  await scan(page, 'editor (wide)');
  await page.getByTestId('menu-file').click();
  await scan(page, 'File menu');
  await page.keyboard.press('Escape');
  await ed.selectNode('g_dense1');
  await ed.setParam('Units', '0');
  await page.getByTestId('health').click();
  await scan(page, 'problems and an invalid field');
  await page.keyboard.press('Escape');
  await ed.canvas.dblclick({ position: { x: 30, y: 30 } });
  await expect(page.getByTestId('node-search')).toBeVisible();
  await scan(page, 'node search');
  await page.keyboard.press('Escape');
  await ed.button('Learn').click();
  await scan(page, 'Learn');
  await ed.button('Walkthrough').click();
  await scan(page, 'Walkthrough');
  await page.getByLabel('Language').selectOption('ko');
  await scan(page, 'Korean');
});

test('medium and phone layouts have no serious or critical violations', async ({ page }) => {
  test.setTimeout(120_000);
  const ed = new EditorPage(page);
  await page.setViewportSize({ width: 1024, height: 768 });
  await ed.openFresh();
  await scan(page, 'editor (1024×768)');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole('tab', { name: 'Training' })).toBeVisible();
  await scan(page, 'phone canvas');
  await page.getByRole('tab', { name: 'Training' }).click();
  await scan(page, 'phone training');
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await scan(page, 'phone inspector');
});
