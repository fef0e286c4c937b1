// What a conditional GAN's sample grid shows: which digit each cell asks for, and which z it uses. The book's grid
// (chapter 8) is 2×5 cells of the digits 0–9; a learner may ask for other digits, which then repeat to fill about as
// many cells. No tfjs: the trainer, the page and the runner share it.

/** Cells the book's grid has. */
export const CONDITIONAL_GRID_CELLS = 10;

export interface ConditionalGridPlan {
  /** The digit each cell asks for, row-major. */
  labels: number[];
  /** Which z each cell uses with fixed noise: cells asking for different digits share one, so style holds while the
   * digit changes. */
  zIndex: number[];
  /** How many distinct z fixed noise draws. */
  zCount: number;
  cols: number;
  rows: number;
}

/** Every class once, in order: the book's 0–9. */
export const allLabels = (classes: number): number[] => Array.from({ length: classes }, (_, i) => i);

/**
 * The grid for `asked` digits (in the order given, repeats dropped): each digit repeats until the grid has at least
 * `cells` cells, one z per repetition. 0–9 gives the book's 2×5 grid on one z; [3] gives ten 3s on ten z.
 */
export function conditionalGridPlan(asked: readonly number[], cells = CONDITIONAL_GRID_CELLS): ConditionalGridPlan {
  const digits = [...new Set(asked)];
  if (digits.length === 0) throw new Error('a conditional grid needs at least one label');
  const repeats = Math.max(1, Math.ceil(cells / digits.length));
  const labels: number[] = [];
  const zIndex: number[] = [];
  for (let r = 0; r < repeats; r++) for (const d of digits) labels.push(d), zIndex.push(r);
  const n = labels.length;
  // The book's 2×5 for ten cells; otherwise near-square, wider than tall.
  const cols = n === 10 ? 5 : Math.ceil(Math.sqrt(n));
  return { labels, zIndex, zCount: repeats, cols, rows: Math.ceil(n / cols) };
}

/** The caption under each cell, as the book's "Digit: 7". */
export const digitCaption = (label: number, classNames?: readonly string[]): string => `Digit: ${classNames?.[label] ?? label}`;

/** Checks a list of asked-for labels against the classes; a message code and its args, or null when fine. */
export function checkSampleLabels(labels: readonly number[], classes: number): { code: string; args: Record<string, number | string> } | null {
  if (labels.length === 0) return { code: 'training.sampleLabelsEmpty', args: {} };
  const bad = labels.find((l) => !Number.isInteger(l) || l < 0 || l >= classes);
  if (bad !== undefined) return { code: 'training.sampleLabelRange', args: { label: bad, last: classes - 1 } };
  return null;
}
