// The health rules replayed on measured histories (src/testing/health/*.json, recorded from real headless runs):
// checked at every checkpoint, as the training panel would check them while the run goes on.
import { describe, expect, it } from 'vitest';
import { healthAlerts } from './health';
import { healthFixture, upTo } from '../testing/healthFixtures';
import { engineMessage } from '../i18n/messages';

const checkpoints = (f: ReturnType<typeof healthFixture>, last: number) => f.scores.map((s) => s.iteration).filter((i) => i <= last);

describe('health alerts on recorded runs', () => {
  it('stay quiet on the classic preset through its first 5,000 iterations', () => {
    const classic = healthFixture('classic');
    expect(classic.graph.name).toMatch(/GANs in Action/i);
    expect(checkpoints(classic, 5000)).toEqual([1000, 2000, 3000, 4000, 5000]);
    // At every reading (every 100 iterations), as the training panel checks while the run goes on.
    const readings = classic.fine.map((r) => r.iteration).filter((i) => i <= 5000);
    expect(readings).toHaveLength(50);
    for (const i of readings) expect(healthAlerts(upTo(classic, i)), `iteration ${i}`).toEqual([]);
  });

  it('report mode collapse on the collapsing graph, quoting its measured coverage', () => {
    const collapse = healthFixture('collapse');
    const fired = checkpoints(collapse, Infinity).filter((i) => healthAlerts(upTo(collapse, i)).some((a) => a.kind === 'modeCollapse'));
    expect(fired.length).toBeGreaterThan(0);
    // G draws one image from iteration 500; the rule needs two collapsed checkpoints from 1,000 on, so it fires at
    // 1,500 and keeps firing.
    expect(fired).toEqual([1500, 2000, 2500, 3000]);
    const at = fired[0];
    const alert = healthAlerts(upTo(collapse, at)).find((a) => a.kind === 'modeCollapse')!;
    const measured = collapse.scores.find((s) => s.iteration === at)!;
    expect(alert.args.covered).toBe(measured.digitsCovered);
    expect(measured.digitsCovered).toBeLessThanOrEqual(3);
    expect(collapse.graph.nodes.find((n) => n.id === 'g_loss')!.params.learningRate).toBe(0.01);
    expect(engineMessage(alert.code, alert.args)).toContain(`only ${measured.digitsCovered} of 10 digits`);
    expect(engineMessage(alert.code, alert.args, 'ko')).toContain('모드 붕괴');
  });
});
