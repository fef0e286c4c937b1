// `npx tsx scripts/record-health-fixture.ts RUN_DIR NAME "what it shows"`: turns the output of
// `npm run train -- GRAPH --eval` into a small test fixture, src/testing/health/NAME.json: the graph, the settings, the
// per-batch readings every checkEvery iterations and the quality-meter readings at every checkpoint. The health-alert
// tests replay it (src/eval/healthFixtures.test.ts), so they test the rules on measured histories in milliseconds.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunRecord } from '../src/cli/cli';
import type { HealthFixture } from '../src/testing/healthFixtures';

const [runDir, name, note] = process.argv.slice(2);
if (!runDir || !name || !note) throw new Error('usage: npx tsx scripts/record-health-fixture.ts RUN_DIR NAME "what it shows"');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const record = JSON.parse(readFileSync(join(runDir, 'history.json'), 'utf8')) as RunRecord;
if (!record.eval) throw new Error(`${runDir} was trained without --eval`);
const r6 = (x: number) => Number(x.toPrecision(6));
const fixture: HealthFixture = {
  note,
  graph: JSON.parse(readFileSync(join(runDir, 'graph.json'), 'utf8')),
  settings: record.settings,
  backend: record.backend,
  tfjs: record.tfjs,
  fine: record.fine.map((f) => ({ iteration: f.iteration, dLoss: r6(f.dLoss), acc: r6(f.acc), gLoss: r6(f.gLoss) })),
  scores: record.history.flatMap((h) =>
    h.scores
      ? [{ iteration: h.iteration, samples: h.scores.samples, digitsCovered: h.scores.digitsCovered, digitShares: h.scores.digitShares.map(r6), meanConfidence: r6(h.scores.meanConfidence), frechetDistance: r6(h.scores.frechetDistance), inceptionScore: r6(h.scores.inceptionScore) }]
      : [],
  ),
};
const out = join(root, 'src', 'testing', 'health', `${name}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(fixture) + '\n');
console.log(`Wrote ${out}: ${fixture.fine.length} readings, ${fixture.scores.length} scored checkpoints`);
