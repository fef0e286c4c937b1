// Scores as text for the terminal: one line after each log line of `npm run train -- … --eval`, and the table of
// `npm run eval`. Plain data in, strings out.
import type { Scores } from './scores';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** `  quality: Fréchet 23.41 (real data 0.91) · IS 8.12 · 10/10 digits · confidence 93.1%` */
export function formatScoresLine(s: Scores, realData?: Scores): string {
  const fd = `Fréchet ${s.frechetDistance.toFixed(2)}${realData ? ` (real data ${realData.frechetDistance.toFixed(2)})` : ''}`;
  return `  quality: ${fd} · IS ${s.inceptionScore.toFixed(2)} · ${s.digitsCovered}/10 digits · confidence ${pct(s.meanConfidence)}`;
}

/** A table of the generator's scores beside real data's (when known), then the share of each digit. */
export function formatScoresTable(s: Scores, realData?: Scores): string {
  const rows: [string, string, string][] = [
    ['', 'generator', realData ? 'real data' : ''],
    ['Fréchet distance (lower is better)', s.frechetDistance.toFixed(3), realData ? realData.frechetDistance.toFixed(3) : ''],
    ['Inception Score (1-10)', s.inceptionScore.toFixed(3), realData ? realData.inceptionScore.toFixed(3) : ''],
    ['Digits covered (share >= 2%)', String(s.digitsCovered), realData ? String(realData.digitsCovered) : ''],
    ['Mean confidence', pct(s.meanConfidence), realData ? pct(realData.meanConfidence) : ''],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const w2 = Math.max(...rows.map((r) => r[2].length));
  const lines = rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padStart(w1)}  ${c.padStart(w2)}`.trimEnd());
  lines.push('', `Digit shares: ${s.digitShares.map((x, d) => `${d}: ${pct(x)}`).join('  ')}`);
  return lines.join('\n');
}
