// Graphs, not chains, on the canvas: multi-input nodes show labelled sockets, take one edge each, and every edge of
// a branching graph carries its shape.
import { expect, test } from './pages/editor';
import { encodeDocumentForUrl } from '../src/graph/document';
import { branchingDocument } from '../src/testing/fixtures';

test('a branching graph: the join shows labelled sockets and every edge its shape, in English and Korean', async ({ page, ed }) => {
  const doc = branchingDocument();
  // A fresh load (not a hash change on the open page): the app reads #graph= when it starts.
  await page.goto('about:blank');
  await page.goto(`/#graph=${encodeDocumentForUrl(doc)}`);
  await expect(page.locator('[data-testid="node"]')).toHaveCount(doc.nodes.length);
  await expect(ed.totals).toHaveText('G 32,336 · D 37,729');
  await expect(page.getByTestId('health')).toHaveText('Ready to train');
  const add = ed.node('g_add');
  await expect(add.getByTestId('input-a')).toHaveText('a');
  await expect(add.getByTestId('input-b')).toHaveText('b');
  await expect(ed.node('d_concat').getByTestId('output-out')).toHaveText('a ‖ b');
  await expect(page.locator('[data-edge-id]')).toHaveCount(doc.edges.length);
  for (const s of ['?×32', '?×16', '?×48', '?×784', '?×28×28×1']) await ed.expectEdgeLabel(s);
  for (const size of [
    { width: 1400, height: 900 },
    { width: 1024, height: 768 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(size);
    await ed.screenshot(`branching-en-${size.width}`);
  }
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.getByLabel('Language').selectOption('ko');
  await expect(add.getByTestId('input-a')).toHaveText('입력 a');
  await expect(add.getByTestId('input-b')).toHaveText('입력 b');
  await ed.screenshot('branching-ko-1400');
});

test('a join built by hand: each socket takes its own edge, a second one on the same socket is refused', async ({ page, ed }) => {
  const add = await ed.dragNode('Add', 620, 260);
  await ed.connect('g_lrelu', 'out', add, 'a');
  await ed.connect('g_dense1', 'out', add, 'b');
  await expect(page.locator(`[data-edge-id]`)).toHaveCount(14);
  // Both inputs carry ?×128: the join is valid, only not yet part of G.
  await expect(ed.node(add).getByTestId('param-count')).toHaveText('no weights');
  await expect(ed.node(add)).not.toHaveClass(/has-error/);
  await ed.connect('g_z', 'out', add, 'a');
  await expect(ed.notice).toContainText('already has a connection');
  await expect(page.locator(`[data-edge-id]`)).toHaveCount(14);
});
