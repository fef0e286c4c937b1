// Page object for the Ganvas editor: what a learner does, expressed once for the specs; and `test` with an `ed`
// fixture for the specs that start every test in a fresh editor.
import { test as base, expect, type Locator, type Page } from '@playwright/test';

export class EditorPage {
  readonly errors: string[] = [];
  readonly canvas: Locator;
  readonly totals: Locator;
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.canvas = page.getByTestId('canvas');
    this.totals = page.getByTestId('totals');
    this.notice = page.getByTestId('notice');
    page.on('pageerror', (e) => this.errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') this.errors.push(`console: ${m.text()}`);
    });
  }

  async open(path = '/') {
    await this.page.goto(path);
    await expect(this.canvas).toBeVisible();
    await expect(this.totals).toBeVisible();
  }

  /** Starts from a clean slate: no autosave, English. */
  async openFresh() {
    await this.page.goto('/');
    await this.page.evaluate(() => {
      localStorage.clear();
      localStorage.setItem('ganvas.lang', 'en');
    });
    await this.open();
  }

  button(name: string) {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** Picks an item of a toolbar menu (File, Model), e.g. menu('File', 'New graph'). */
  async menu(menu: string, item: string) {
    await this.page.getByRole('toolbar', { name: /Editor actions|편집 동작/ }).getByRole('button', { name: new RegExp(`^${menu}`) }).click();
    await this.page.getByRole('menuitem', { name: item, exact: true }).click();
  }

  /** Zooms the canvas in until nodes show their full detail (above the simplified-view threshold). */
  async zoomToDetail() {
    for (let i = 0; i < 10 && (await this.canvas.evaluate((c) => c.classList.contains('simplified'))); i++) await this.button('Zoom in').click();
  }

  node(id: string) {
    return this.page.locator(`[data-testid="node"][data-node-id="${id}"]`);
  }

  async nodeIds(): Promise<string[]> {
    return this.page.locator('[data-testid="node"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id') ?? ''));
  }

  /** Drags a palette item onto the canvas at (x, y) relative to the canvas; returns the new node's id. */
  async dragNode(title: string, x: number, y: number): Promise<string> {
    const before = new Set(await this.nodeIds());
    await this.page.getByRole('navigation').getByRole('button', { name: title, exact: true }).dragTo(this.canvas, { targetPosition: { x, y } });
    return this.newId(before);
  }

  /** Adds a node with the keyboard (focus the palette button, Enter); returns its id. */
  async addNodeByKeyboard(title: string): Promise<string> {
    const before = new Set(await this.nodeIds());
    await this.page.getByRole('navigation').getByRole('button', { name: title, exact: true }).focus();
    await this.page.keyboard.press('Enter');
    return this.newId(before);
  }

  private async newId(before: Set<string>): Promise<string> {
    let id = '';
    await expect
      .poll(async () => {
        id = (await this.nodeIds()).find((x) => !before.has(x)) ?? '';
        return id;
      })
      .not.toBe('');
    return id;
  }

  private socket(nodeId: string, side: 'input' | 'output', key: string) {
    return this.node(nodeId).locator(`[data-testid="${side}-${key}"] [data-testid="${side}-socket"]`);
  }

  /** Drags with the mouse from an output socket to an input socket. */
  async connect(from: string, fromSocket: string, to: string, toSocket: string) {
    const a = await this.socket(from, 'output', fromSocket).boundingBox();
    const b = await this.socket(to, 'input', toSocket).boundingBox();
    if (!a || !b) throw new Error(`socket not visible: ${from}.${fromSocket} → ${to}.${toSocket}`);
    const m = this.page.mouse;
    await m.move(a.x + a.width / 2, a.y + a.height / 2);
    await m.down();
    await m.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await m.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
    await m.up();
  }

  async selectNode(id: string) {
    await this.node(id).locator('.title').click();
    await expect(this.page.getByRole('complementary').locator('dd.mono').first()).toHaveText(id);
  }

  /** Sets a parameter in the inspector for the selected node, then leaves the field (one undo step). */
  async setParam(label: string, value: string) {
    const field = this.page.getByRole('complementary').getByLabel(label, { exact: true });
    const tag = await field.evaluate((e) => e.tagName);
    if (tag === 'SELECT') await field.selectOption(value);
    else {
      await field.fill(value);
      await field.blur();
    }
  }

  edgeLabels() {
    return this.page.getByTestId('edge-label');
  }

  /** An edge shows this shape: as its label, or (in the simplified view at small zooms) in its announced name. */
  async expectEdgeLabel(text: string) {
    await expect(this.edgeLabels().filter({ hasText: new RegExp(`^${text.replace(/[?×]/g, (c) => (c === '?' ? '\\?' : c))}$`) }).first()).toBeAttached();
    await expect(this.page.locator(`[data-testid="edge-hit"][aria-label$="carrying ${text}"]`).first()).toBeAttached();
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: `test-results/screenshots/${name}.png` });
  }

  expectNoErrors() {
    expect(this.errors, this.errors.join('\n')).toEqual([]);
  }

  /** Sets a number field of the training panel (Iterations, Batch size, Sample interval) and commits it. */
  async setTrainingField(label: string, value: string) {
    const field = this.page.getByRole('spinbutton', { name: label, exact: true });
    await field.fill(value);
    await field.press('Enter');
    await field.blur();
    await expect(field).toHaveValue(value);
  }
}

/**
 * Playwright's test whose every test starts in a fresh editor (no autosave, English) and fails if the page logged
 * an error by its end. `ed` is automatic: it runs for tests that never name it too.
 */
export const test = base.extend<{ ed: EditorPage }>({
  ed: [
    async ({ page }, use) => {
      const ed = new EditorPage(page);
      await ed.openFresh();
      await use(ed);
      ed.expectNoErrors();
    },
    { auto: true },
  ],
});
export { expect };
