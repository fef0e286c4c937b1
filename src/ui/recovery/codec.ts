// Reading checkpoint files on the page. Loaded with import() only when a checkpoint is opened or resumed, so the
// editor's first load stays small; the codec it uses (src/io/checkpoint.ts) holds no tfjs.
import { decodeCheckpoint, type Checkpoint } from '../../io/checkpoint';
import { formatLogLine } from '../../io/logLine';
import type { SessionSettings } from '../../worker/protocol';

export interface ReadCheckpoint {
  checkpoint: Checkpoint;
  /** The run's log lines as the worker wrote them, one per sample interval. */
  log: { iteration: number; line: string }[];
  /** The settings the run was trained with, to continue it the same way. */
  settings: SessionSettings;
}

export type ReadResult = { ok: true; value: ReadCheckpoint } | { ok: false; error: string };

export function readCheckpoint(bytes: Uint8Array): ReadResult {
  const r = decodeCheckpoint(bytes);
  if (!r.ok) return { ok: false, error: r.error };
  const c = r.checkpoint;
  const run = c.run;
  return {
    ok: true,
    value: {
      checkpoint: c,
      log: c.history.map((s) => ({ iteration: s.iteration, line: formatLogLine(s) })),
      settings: {
        iterations: run?.iterations ?? c.training.iterations,
        batchSize: c.training.batchSize,
        sampleInterval: run?.sampleInterval ?? c.training.sampleInterval,
        checkEvery: run?.checkEvery ?? c.training.sampleInterval,
        fixedNoise: run?.fixedNoise ?? true,
        gridSize: run?.gridSize ?? 16,
      },
    },
  };
}
