// What the runs library keeps of one training run. Plain data (structured-clonable for IndexedDB, JSON-able for the
// run file), no Svelte, no tfjs.
import type { GraphDocument } from '../../graph/document';
import type { IterationStats } from '../../io/logLine';
import type { ScorePoint } from '../../eval/scores';
import type { BackendName, SessionSettings, SessionStatus } from '../../worker/protocol';

/** The quality meter's scores at one sample interval (src/eval/scores.ts): what the training store holds. */
export type { ScorePoint };

/** One sample grid, pixels quantized to bytes (0–255): a quarter of the worker's floats, and what a screen shows. */
export interface StoredGrid {
  iteration: number;
  width: number;
  height: number;
  count: number;
  channels: 1 | 3;
  labels?: number[];
  cols?: number;
  pixels: Uint8Array;
}

/** What the list and the comparison need: everything but the grids and the checkpoint bytes. */
export interface RunSummary {
  id: string;
  name: string;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
  /** The graph as it was trained (a copy: later edits on the canvas do not change it). */
  doc: GraphDocument;
  settings: SessionSettings;
  backend: BackendName | null;
  status: SessionStatus;
  iteration: number;
  /** Per sample interval (the log lines). */
  history: IterationStats[];
  /** Every checkEvery iterations, thinned: the curves of a run shorter than one sample interval. */
  fine: IterationStats[];
  scores?: ScorePoint[];
  /** The newest grid, for the list and the side-by-side comparison without reading every grid. */
  lastGrid: StoredGrid | null;
  /** Iteration of the stored checkpoint, if one is kept. */
  checkpointIteration: number | null;
}

export interface RunRecord extends RunSummary {
  /** The grids of every sample interval (thinned evenly past MAX_RUN_GRIDS, the last always kept). */
  grids: StoredGrid[];
  /** The last checkpoint's bytes (src/io/checkpoint.ts). */
  checkpoint: Uint8Array | null;
}

/** Grids kept per run: about 0.5 MB of 4×4 MNIST grids. */
export const MAX_RUN_GRIDS = 40;
/** Fine points kept per run. */
export const MAX_RUN_FINE = 1000;

export const summaryOf = (r: RunRecord): RunSummary => {
  const { grids: _grids, checkpoint: _checkpoint, ...summary } = r;
  return summary;
};

/** Keeps at most `max` entries, evenly spread over the list, first and last always among them. */
export function thinEvenly<T>(list: readonly T[], max: number): T[] {
  if (list.length <= max) return [...list];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(list[Math.round((i * (list.length - 1)) / (max - 1))]);
  return out;
}

/** A grid of floats in [0, 1] as bytes. */
export function quantizeGrid(g: { iteration: number; width: number; height: number; count: number; channels: number; labels?: number[]; cols?: number; pixels: ArrayLike<number> }): StoredGrid {
  const pixels = new Uint8Array(g.pixels.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(255 * Math.min(1, Math.max(0, g.pixels[i])));
  return {
    iteration: g.iteration,
    width: g.width,
    height: g.height,
    count: g.count,
    channels: g.channels === 3 ? 3 : 1,
    ...(g.labels ? { labels: [...g.labels], ...(g.cols ? { cols: g.cols } : {}) } : {}),
    pixels,
  };
}
