import { describe, expect, it } from 'vitest';
import { dWinning, healthAlerts, modeCollapse, noLearning, type CoverageReading, type HealthAlert, type HealthReading } from './health';
import { ENGINE_MESSAGES, engineMessage, LANGS } from '../i18n/messages';

const readings = (from: number, to: number, step: number, f: (i: number) => Omit<HealthReading, 'iteration'>): HealthReading[] => {
  const out: HealthReading[] = [];
  for (let i = from; i <= to; i += step) out.push({ iteration: i, ...f(i) });
  return out;
};

const shares = (digits: number[]) => Array.from({ length: 10 }, (_, d) => (digits.includes(d) ? 1 / digits.length : 0));
const scored = (iteration: number, digits: number[], meanConfidence = 0.9): CoverageReading => ({ iteration, samples: 2000, digitsCovered: digits.length, digitShares: shares(digits), meanConfidence });
const all = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Every placeholder of the alert's message, in every language, is filled from its measured arguments. */
function expectComplete(alert: HealthAlert) {
  for (const lang of LANGS) {
    const template = ENGINE_MESSAGES[lang][alert.code];
    expect(template, `${lang} ${alert.code}`).toBeTruthy();
    for (const [, name] of template.matchAll(/\{(\w+)\}/g)) expect(alert.args, `${lang} ${alert.code} {${name}}`).toHaveProperty(name);
    expect(engineMessage(alert.code, alert.args, lang)).not.toMatch(/\{\w+\}/);
  }
}

describe('modeCollapse', () => {
  it('fires when coverage falls to a few digits drawn confidently, at two checkpoints in a row, quoting what it saw', () => {
    const history = [scored(1000, all), scored(2000, all), scored(3000, [1, 7]), scored(4000, [1])];
    const alert = modeCollapse(history)!;
    expect(alert).toMatchObject({ kind: 'modeCollapse', iteration: 4000, args: { covered: 1, digits: '1', top: 1, share: '100.0%', peak: 10, peakAt: 1000, since: 3000 } });
    expectComplete(alert);
    expect(engineMessage(alert.code, alert.args)).toContain('only 1 of 10 digits (1)');
  });

  it('stays quiet for one bad checkpoint, for unsure early blobs, and for a healthy run', () => {
    expect(modeCollapse([scored(1000, all), scored(2000, all), scored(3000, [1, 7])])).toBeUndefined();
    expect(modeCollapse([scored(1000, [1]), scored(2000, all), scored(3000, [8], 0.3), scored(4000, [8], 0.3)])).toBeUndefined();
    expect(modeCollapse([scored(1000, all), scored(2000, all)])).toBeUndefined();
    // Four digits in equal shares is not "a few"…
    expect(modeCollapse([scored(1000, all), scored(2000, [1, 2, 3, 4]), scored(3000, [1, 2, 3, 4])])).toBeUndefined();
    // …but four digits of which one is 91% is.
    const lopsided = (iteration: number): CoverageReading => ({ iteration, samples: 2000, digitsCovered: 4, digitShares: [0, 0, 0.05, 0.02, 0, 0.02, 0, 0, 0.91, 0], meanConfidence: 0.87 });
    expect(modeCollapse([scored(1000, all), lopsided(2000), lopsided(3000)])).toMatchObject({ args: { covered: 4, top: 8, share: '91.0%' } });
  });
});

describe('dWinning', () => {
  it('fires when D is ≥ 99% accurate for 2,000 iterations while G loss climbs', () => {
    const fine = readings(100, 6000, 100, (i) => ({ dLoss: 0.01, acc: i < 3000 ? 0.8 : 0.995, gLoss: i < 3000 ? 2 : 2 + (i - 3000) / 1000 }));
    const alert = dWinning(fine)!;
    expect(alert).toMatchObject({ kind: 'dWinning', iteration: 6000, args: { from: 4000, to: 6000, acc: '99.5%', gFrom: '3.000', gTo: '5.000' } });
    expectComplete(alert);
  });

  it('stays quiet while G loss is flat or falling, while D is below 99%, and before 2,000 iterations of evidence', () => {
    expect(dWinning(readings(100, 6000, 100, () => ({ dLoss: 0.01, acc: 0.999, gLoss: 6 })))).toBeUndefined();
    expect(dWinning(readings(100, 6000, 100, (i) => ({ dLoss: 0.01, acc: 0.999, gLoss: 8 - i / 1000 })))).toBeUndefined();
    expect(dWinning(readings(100, 6000, 100, (i) => ({ dLoss: 0.1, acc: 0.97, gLoss: i / 1000 })))).toBeUndefined();
    expect(dWinning(readings(100, 1900, 100, (i) => ({ dLoss: 0.01, acc: 1, gLoss: i / 100 })))).toBeUndefined();
  });
});

describe('noLearning', () => {
  it('fires when accuracy sits near 50% and the losses stay flat from the start', () => {
    const fine = readings(100, 1500, 100, (i) => ({ dLoss: 0.693 + (i % 200 === 0 ? 0.001 : 0), acc: i % 300 === 0 ? 0.48 : 0.52, gLoss: 0.69 }));
    const alert = noLearning(fine)!;
    expect(alert).toMatchObject({ kind: 'noLearning', iteration: 1500, args: { iterations: 1500, accMin: '48.0%', accMax: '52.0%' } });
    expectComplete(alert);
  });

  it('stays quiet before 1,000 iterations, when accuracy leaves the band, or when a loss moves', () => {
    expect(noLearning(readings(100, 900, 100, () => ({ dLoss: 0.69, acc: 0.5, gLoss: 0.69 })))).toBeUndefined();
    expect(noLearning(readings(100, 2000, 100, (i) => ({ dLoss: 0.69, acc: i === 200 ? 0.75 : 0.5, gLoss: 0.69 })))).toBeUndefined();
    expect(noLearning(readings(100, 2000, 100, (i) => ({ dLoss: 0.69, acc: 0.5, gLoss: 0.69 + i / 10000 })))).toBeUndefined();
  });
});

describe('healthAlerts', () => {
  it('collects every rule that holds, and none for an empty history', () => {
    expect(healthAlerts({ fine: [], scores: [] })).toEqual([]);
    const fine = readings(100, 1500, 100, () => ({ dLoss: 0.693, acc: 0.5, gLoss: 0.693 }));
    const kinds = healthAlerts({ fine, scores: [scored(1000, [3], 0.9), scored(1500, [3], 0.9)] }).map((a) => a.kind);
    expect(kinds).toEqual(['modeCollapse', 'noLearning']);
  });
});
