// Measured training histories for the health-alert tests, recorded from real headless runs
// (`npm run train -- GRAPH --eval`, then scripts/record-health-fixture.ts). Each fixture keeps its graph, so the run
// can be repeated.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CoverageReading, HealthReading } from '../eval/health';
import type { GraphDocument } from '../graph/document';

export interface HealthFixture {
  /** What the run shows and which setting makes it so. */
  note: string;
  graph: GraphDocument;
  settings: { iterations: number; sampleInterval: number; batchSize: number; seed: number; checkEvery: number };
  backend: string;
  tfjs: string;
  fine: HealthReading[];
  scores: (CoverageReading & { frechetDistance: number; inceptionScore: number })[];
}

export function healthFixture(name: string): HealthFixture {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./health/${name}.json`, import.meta.url)), 'utf8')) as HealthFixture;
}

/** The history as a live run had it at `iteration`: readings up to and including it. */
export function upTo(f: HealthFixture, iteration: number): { fine: HealthReading[]; scores: CoverageReading[] } {
  return { fine: f.fine.filter((r) => r.iteration <= iteration), scores: f.scores.filter((s) => s.iteration <= iteration) };
}
