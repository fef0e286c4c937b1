// Per-iteration statistics and the book's log line: plain data, shared by the trainer, the runner and the page.
export interface IterationStats {
  iteration: number;
  dLoss: number;
  acc: number;
  gLoss: number;
}

/** The seed's log line: `1000 [D loss: 0.123456, acc.: 95.31%] [G loss: 3.456789]`. */
export function formatLogLine(s: IterationStats): string {
  return `${s.iteration} [D loss: ${s.dLoss.toFixed(6)}, acc.: ${(100 * s.acc).toFixed(2)}%] [G loss: ${s.gLoss.toFixed(6)}]`;
}
