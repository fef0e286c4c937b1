import { describe, expect, it } from 'vitest';
import { accuracyChartSvg, escapeXml, formatTick, formatTicks, lineChartSvg, lossChartSvg, niceTicks } from './charts';
import type { IterationStats } from './logLine';

const history: IterationStats[] = [1000, 2000, 3000].map((iteration, i) => ({ iteration, dLoss: 0.5 - i * 0.1, acc: 0.6 + i * 0.1, gLoss: 1 + i }));

/** Every element is closed: a cheap well-formedness check without an XML parser. */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (!m[1]) stack.push(m[2]);
    else if (stack.pop() !== m[2]) return false;
  }
  return stack.length === 0;
}

describe('niceTicks', () => {
  it('uses 1-2-5 steps that cover the range', () => {
    expect(niceTicks(0, 20000, 5)).toEqual([0, 5000, 10000, 15000, 20000]);
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 0.7, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    const flat = niceTicks(3, 3);
    expect(flat[0]).toBeLessThan(3);
    expect(flat[flat.length - 1]).toBeGreaterThan(3);
  });

  it('formats ticks briefly', () => {
    expect(formatTick(20000)).toBe('20k');
    expect(formatTick(0.30000000000000004)).toBe('0.3');
    expect(formatTick(500)).toBe('500');
    expect(formatTicks([0, 5000, 10000, 15000, 20000])).toEqual(['0', '5k', '10k', '15k', '20k']);
    expect(formatTicks([0, 500, 1000])).toEqual(['0', '500', '1000']);
  });
});

describe('charts', () => {
  it('draws the loss chart: title, two series, legend, axes', () => {
    const svg = lossChartSvg(history);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>Training Loss</text>');
    expect(svg).toContain('>Discriminator loss</text>');
    expect(svg).toContain('>Generator loss</text>');
    expect(svg).toContain('>Iteration</text>');
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('>3000</text>');
    expect(balanced(svg)).toBe(true);
  });

  it('draws accuracy in percent on a fixed 0–100 axis', () => {
    const svg = accuracyChartSvg(history);
    expect(svg).toContain('>Discriminator Accuracy</text>');
    expect(svg).toContain('>100</text>');
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(balanced(svg)).toBe(true);
  });

  it('escapes every piece of text it is given', () => {
    const svg = lineChartSvg({
      title: '<script>alert(1)</script>',
      xLabel: 'a & b',
      yLabel: '"y"',
      series: [{ name: "<img src=x onerror='x'>", color: '"/><script>', points: [[0, 1], [1, 2]] }],
    });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('a &amp; b');
    expect(escapeXml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
    expect(balanced(svg)).toBe(true);
  });

  it('copes with no points, one point and non-finite values', () => {
    for (const h of [[], history.slice(0, 1), [{ iteration: 5, dLoss: Number.NaN, acc: 0.5, gLoss: Number.POSITIVE_INFINITY }]]) {
      const svg = lossChartSvg(h);
      expect(balanced(svg)).toBe(true);
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });
});
