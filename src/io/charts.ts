// The seed's two charts (losses and D accuracy per sample_interval) as standalone SVG strings. Pure functions with no
// DOM, so the headless runner writes them to files and the browser can drop the same markup into the page.
import type { IterationStats } from './logLine';

export interface ChartSeries {
  name: string;
  color: string;
  points: [number, number][];
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Fixed y range; each bound defaults to the data's (rounded out to ticks). */
  yMin?: number;
  yMax?: number;
  width?: number;
  height?: number;
}

/** Escapes text for SVG element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "Nice" tick values (steps of 1, 2 or 5 × 10ⁿ) covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    // A flat series still needs an axis: widen around the value.
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const first = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 1e-9 || ticks.length < 2; v += step) ticks.push(roundTo(v, step));
  if (ticks[ticks.length - 1] < hi - step * 1e-9) ticks.push(roundTo(ticks[ticks.length - 1] + step, step));
  return ticks;
}

// Removes float noise (0.30000000000000004) so labels print cleanly.
const roundTo = (v: number, step: number) => {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(digits, 12)));
};

/** Short tick labels: 20000 → "20k", 0.25 → "0.25". */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6 && v % 1e5 === 0) return `${v / 1e6}M`;
  if (a >= 1e4 && v % 100 === 0) return `${v / 1e3}k`;
  return String(Number(v.toPrecision(6)));
}

/** Labels for a whole axis in one style: 0, 5k, 10k, … rather than 0, 5000, 10k. */
export function formatTicks(ticks: number[]): string[] {
  const top = Math.max(0, ...ticks.map(Math.abs));
  if (top >= 1e4 && ticks.every((t) => t % 100 === 0)) return ticks.map((t) => (t === 0 ? '0' : `${t / 1e3}k`));
  return ticks.map(formatTick);
}

const fmt = (v: number) => String(Math.round(v * 100) / 100);

export function lineChartSvg(spec: LineChartSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 360;
  const m = { top: 58, right: 24, bottom: 52, left: 64 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const all = spec.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));

  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const xTicks = all.length > 0 ? niceTicks(Math.min(0, ...xs), Math.max(...xs), 5) : niceTicks(0, 1, 5);
  const yTicks = niceTicks(spec.yMin ?? (ys.length ? Math.min(...ys) : 0), spec.yMax ?? (ys.length ? Math.max(...ys) : 1), 5);
  const x0 = xTicks[0];
  const x1 = xTicks[xTicks.length - 1];
  const y0 = spec.yMin ?? yTicks[0];
  const y1 = spec.yMax ?? yTicks[yTicks.length - 1];
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const sy = (y: number) => m.top + plotH - ((y - y0) / (y1 - y0 || 1)) * plotH;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(spec.title)}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
  );
  out.push(`<title>${escapeXml(spec.title)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="600" fill="#111">${escapeXml(spec.title)}</text>`);

  // Grid lines and tick labels.
  out.push('<g class="y-axis" stroke="#e5e5e5" stroke-width="1">');
  for (const t of yTicks) if (t >= y0 - 1e-12 && t <= y1 + 1e-12) out.push(`<line x1="${m.left}" y1="${fmt(sy(t))}" x2="${m.left + plotW}" y2="${fmt(sy(t))}"/>`);
  out.push('</g>');
  out.push('<g class="y-ticks" fill="#444" text-anchor="end">');
  for (const t of yTicks) if (t >= y0 - 1e-12 && t <= y1 + 1e-12) out.push(`<text x="${m.left - 8}" y="${fmt(sy(t) + 4)}">${escapeXml(formatTick(t))}</text>`);
  out.push('</g>');
  out.push('<g class="x-ticks" fill="#444" text-anchor="middle">');
  const xLabels = formatTicks(xTicks);
  xTicks.forEach((t, i) => {
    out.push(`<line x1="${fmt(sx(t))}" y1="${m.top + plotH}" x2="${fmt(sx(t))}" y2="${m.top + plotH + 5}" stroke="#444"/>`);
    out.push(`<text x="${fmt(sx(t))}" y="${m.top + plotH + 18}">${escapeXml(xLabels[i])}</text>`);
  });
  out.push('</g>');
  out.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444" stroke-width="1"/>`);
  out.push(`<text x="${m.left + plotW / 2}" y="${height - 10}" text-anchor="middle" fill="#111">${escapeXml(spec.xLabel)}</text>`);
  out.push(
    `<text x="16" y="${m.top + plotH / 2}" text-anchor="middle" fill="#111" transform="rotate(-90 16 ${m.top + plotH / 2})">${escapeXml(spec.yLabel)}</text>`,
  );

  // Lines, clipped to the plot so a fixed y range cannot spill over the axes; markers while points are sparse.
  // Ids must not collide when the browser inlines several charts; equal ids here mean equal clip rectangles anyway.
  const clipId = `clip-${spec.title.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-${width}x${height}`;
  // The clip reaches a few pixels past the frame so markers and lines on the edge (x = last iteration, 100%) stay whole.
  out.push(`<clipPath id="${clipId}"><rect x="${m.left - 4}" y="${m.top - 4}" width="${plotW + 8}" height="${plotH + 8}"/></clipPath>`);
  out.push(`<g clip-path="url(#${clipId})">`);
  for (const s of spec.series) {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    const color = escapeXml(s.color);
    if (pts.length > 1) {
      const d = pts.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${fmt(sx(x))},${fmt(sy(y))}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"><title>${escapeXml(s.name)}</title></path>`);
    }
    if (pts.length <= 40) for (const [x, y] of pts) out.push(`<circle cx="${fmt(sx(x))}" cy="${fmt(sy(y))}" r="3" fill="${color}"/>`);
  }
  out.push('</g>');

  // Legend in one row under the title, outside the plot, so it never hides a line near the top (accuracy ≈ 100%).
  const itemW = spec.series.map((s) => 26 + s.name.length * 7 + 16);
  let lx = m.left + (plotW - itemW.reduce((a, b) => a + b, 0)) / 2;
  const ly = 44;
  out.push('<g class="legend">');
  spec.series.forEach((s, i) => {
    out.push(`<line x1="${fmt(lx)}" y1="${ly - 4}" x2="${fmt(lx + 20)}" y2="${ly - 4}" stroke="${escapeXml(s.color)}" stroke-width="2"/>`);
    out.push(`<text x="${fmt(lx + 26)}" y="${ly}" fill="#111">${escapeXml(s.name)}</text>`);
    lx += itemW[i];
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** The seed's loss chart: D and G loss at each sample_interval checkpoint. */
export function lossChartSvg(history: IterationStats[]): string {
  return lineChartSvg({
    title: 'Training Loss',
    xLabel: 'Iteration',
    yLabel: 'Loss',
    yMin: 0,
    series: [
      { name: 'Discriminator loss', color: '#1f77b4', points: history.map((h) => [h.iteration, h.dLoss]) },
      { name: 'Generator loss', color: '#ff7f0e', points: history.map((h) => [h.iteration, h.gLoss]) },
    ],
  });
}

/** The seed's accuracy chart: D accuracy in percent at each checkpoint. */
export function accuracyChartSvg(history: IterationStats[]): string {
  return lineChartSvg({
    title: 'Discriminator Accuracy',
    xLabel: 'Iteration',
    yLabel: 'Accuracy (%)',
    yMin: 0,
    yMax: 100,
    series: [{ name: 'Discriminator accuracy', color: '#1f77b4', points: history.map((h) => [h.iteration, 100 * h.acc]) }],
  });
}
