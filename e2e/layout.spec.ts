// The editor at 1400×900, 1024×768 and a 390×844 phone, in English and Korean: the main regions sit side by side
// inside the window (no overlap, no horizontal page scroll), canvas text reads at 11 px or more at the fitted zoom
// (the simplified node view where the zoom is small), and Hangul draws as real glyphs from the bundled web font.
import { test, expect, type Page } from '@playwright/test';
import { EditorPage } from './pages/editor';

const SIZES = [
  { width: 1400, height: 900 },
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
] as const;

async function openAt(page: Page, lang: 'en' | 'ko') {
  await page.goto('/');
  await page.evaluate((l) => {
    localStorage.clear();
    localStorage.setItem('ganvas.lang', l);
  }, lang);
  await page.goto('/');
  await expect(page.locator('[data-testid="node"]')).toHaveCount(13);
  await page.evaluate(() => document.fonts.ready);
  // The fit runs once the nodes are measured; wait for the frames that it draws last.
  await expect(page.locator('.gan-group')).toHaveCount(2);
}

/** Bounding boxes of the regions a person works in; hidden ones (other phone tabs) are left out. */
async function regions(page: Page) {
  return page.evaluate(() => {
    const pick: Record<string, string> = {
      toolbar: 'header.toolbar',
      tabs: '.view-tabs',
      palette: 'nav.palette',
      canvas: '#view-canvas',
      inspector: 'aside.inspector',
      training: '[data-testid="training"]',
    };
    const out: Record<string, { x: number; y: number; w: number; h: number }> = {};
    for (const [name, sel] of Object.entries(pick)) {
      const el = document.querySelector<HTMLElement>(sel);
      if (!el) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      out[name] = { x: r.x, y: r.y, w: r.width, h: r.height };
    }
    return { out, W: window.innerWidth, H: window.innerHeight, scrollW: document.documentElement.scrollWidth, scrollH: document.documentElement.scrollHeight };
  });
}

/** The smallest on-screen size of visible text on the canvas, and where. */
async function smallestCanvasText(page: Page) {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLElement>('[data-testid="canvas"]')!;
    const k = Number(getComputedStyle(canvas).getPropertyValue('--zoom')) || 1;
    const box = canvas.getBoundingClientRect();
    let min = Infinity;
    let where = '';
    const visible = (el: Element) => {
      for (let e: Element | null = el; e && e !== canvas; e = e.parentElement) {
        const cs = getComputedStyle(e);
        if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false;
      }
      return true;
    };
    const walker = document.createTreeWalker(canvas, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent?.trim()) continue;
      const el = n.parentElement!;
      if (el.closest('[data-testid="minimap"]') || !visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right < box.left || r.left > box.right || r.bottom < box.top || r.top > box.bottom) continue;
      const px = parseFloat(getComputedStyle(el).fontSize) * k;
      if (px < min) {
        min = px;
        where = `${el.className || el.tagName}: ${n.textContent.trim().slice(0, 30)}`;
      }
    }
    return { min, where, k, simplified: canvas.classList.contains('simplified') };
  });
}

for (const size of SIZES) {
  for (const lang of ['en', 'ko'] as const) {
    test(`${size.width}×${size.height} in ${lang}: regions side by side inside the window, canvas text legible at fit`, async ({ page }) => {
      const ed = new EditorPage(page);
      await page.setViewportSize(size);
      await openAt(page, lang);
      const { out, W, H, scrollW, scrollH } = await regions(page);
      expect(scrollW, 'no horizontal page scroll').toBeLessThanOrEqual(W);
      expect(scrollH, 'no vertical page scroll').toBeLessThanOrEqual(H);
      expect(Object.keys(out)).toEqual(expect.arrayContaining(['toolbar', 'canvas']));
      if (size.width > 600) expect(Object.keys(out)).toEqual(expect.arrayContaining(['training']));
      for (const [name, r] of Object.entries(out)) {
        expect(r.x, `${name} left`).toBeGreaterThanOrEqual(0);
        expect(r.y, `${name} top`).toBeGreaterThanOrEqual(0);
        expect(r.x + r.w, `${name} right`).toBeLessThanOrEqual(W + 0.5);
        expect(r.y + r.h, `${name} bottom`).toBeLessThanOrEqual(H + 0.5);
      }
      const names = Object.keys(out);
      for (let i = 0; i < names.length; i++) {
        for (let j = i + 1; j < names.length; j++) {
          const a = out[names[i]];
          const b = out[names[j]];
          const ix = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
          const iy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
          expect(ix <= 0.5 || iy <= 0.5, `${names[i]} overlaps ${names[j]}`).toBe(true);
        }
      }
      // The toolbar is one row.
      expect(out.toolbar.h).toBeLessThan(48);
      const text = await smallestCanvasText(page);
      console.log(`[measure] ${size.width}×${size.height} ${lang}: fit zoom ${text.k.toFixed(3)}, simplified ${text.simplified}, smallest canvas text ${text.min.toFixed(1)} px (${text.where})`);
      if (size.width > 600) {
        expect(text.min, text.where).toBeGreaterThanOrEqual(11);
      } else {
        // A phone fits the whole graph at about 0.2: nodes show the simplified view, as large as a node holds.
        expect(text.simplified).toBe(true);
      }
      // The minimap never hides a node at the fitted zoom.
      const mini = await page.getByTestId('minimap').boundingBox();
      if (mini) {
        for (const node of await page.locator('[data-testid="node"]').all()) {
          const b = (await node.boundingBox())!;
          const apart = b.x + b.width <= mini.x || mini.x + mini.width <= b.x || b.y + b.height <= mini.y || mini.y + mini.height <= b.y;
          expect(apart, `minimap covers ${await node.getAttribute('data-node-id')}`).toBe(true);
        }
      }
      await page.screenshot({ path: `test-results/screenshots/layout-${size.width}x${size.height}-${lang}.png` });
      if (size.width <= 600) {
        // The phone's other views each fill the space under the tabs.
        for (const [tab, region] of [
          [lang === 'ko' ? '학습' : 'Training', '[data-testid="training"]'],
          [lang === 'ko' ? '속성' : 'Inspector', 'aside.inspector'],
          [lang === 'ko' ? '노드' : 'Nodes', 'nav.palette'],
        ] as const) {
          await page.getByRole('tab', { name: tab, exact: true }).click();
          const box = (await page.locator(region).boundingBox())!;
          expect(box.height, `${tab} view height`).toBeGreaterThan(size.height / 2);
          expect(box.x + box.width).toBeLessThanOrEqual(size.width + 0.5);
          if (region.includes('training')) await expect(page.getByRole('button', { name: lang === 'ko' ? '실행' : 'Run', exact: true })).toBeVisible();
        }
      }
      ed.expectNoErrors();
    });
  }
}

test('at 1024×768 the log lines fit and both charts show without scrolling the page', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await openAt(page, 'en');
  const charts = page.getByTestId('chart');
  await expect(charts).toHaveCount(2);
  for (const c of await charts.all()) {
    await expect(c).toBeInViewport({ ratio: 1 });
  }
  await page.getByRole('tab', { name: 'Log' }).click();
  const log = page.getByTestId('training-log');
  await expect(log).toBeInViewport({ ratio: 1 });
  // A full-length log line (the longest the runner writes) fits the log's width.
  const fits = await log.evaluate((el) => {
    const probe = document.createElement('div');
    probe.className = el.firstElementChild?.className ?? '';
    probe.style.cssText = 'font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12px; white-space: pre; display: inline-block';
    probe.textContent = '20000 [D loss: 0.123456, acc.: 100.00%] [G loss: 12.345678]';
    el.append(probe);
    const w = probe.getBoundingClientRect().width;
    probe.remove();
    return { w, room: el.clientWidth };
  });
  expect(fits.w).toBeLessThanOrEqual(fits.room);
});

test('Hangul renders as glyphs from the bundled font, with no CJK font on the system', async ({ page }) => {
  await openAt(page, 'ko');
  await expect(page.getByRole('button', { name: '실행', exact: true })).toBeVisible();
  const result = await page.evaluate(async () => {
    const run = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === '실행')!;
    const cs = getComputedStyle(run);
    const font = `${cs.fontWeight} 32px ${cs.fontFamily}`;
    await document.fonts.load(font, '가나실행');
    const draw = (ch: string) => {
      const c = document.createElement('canvas');
      c.width = 48;
      c.height = 48;
      const ctx = c.getContext('2d')!;
      ctx.font = font;
      ctx.fillStyle = '#000';
      ctx.fillText(ch, 4, 38);
      return { data: Array.from(ctx.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 3)), width: ctx.measureText(ch).width };
    };
    const a = draw('가');
    const b = draw('나');
    const diff = a.data.reduce((n, v, i) => n + (Math.abs(v - b.data[i]) > 64 ? 1 : 0), 0);
    const ink = a.data.filter((v) => v > 64).length;
    const noto = [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Noto Sans KR' && f.status === 'loaded').length;
    return { font, diff, ink, noto };
  });
  console.log(`[measure] Hangul: ${result.diff} pixels differ between 가 and 나 (ink of 가: ${result.ink}); Noto Sans KR faces loaded: ${result.noto}`);
  // Missing glyphs draw as identical boxes: two different syllables must differ in many pixels.
  expect(result.ink).toBeGreaterThan(40);
  expect(result.diff).toBeGreaterThan(40);
  expect(result.noto).toBeGreaterThan(0);
});

test('English pages load no Korean font', async ({ page }) => {
  const fonts: string[] = [];
  page.on('request', (r) => {
    if (/noto-sans-kr/.test(r.url())) fonts.push(r.url());
  });
  await openAt(page, 'en');
  await page.waitForTimeout(500);
  expect(fonts).toEqual([]);
});
