// Per-call timing of one tfjs op for the kernel micro-benchmarks (kernels.ts, convKernels.ts): warm-up calls, then
// the median of timed calls, each through a read-back so the kernel work (synchronous on wasm) is included.
import type * as tf from '@tensorflow/tfjs';

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export interface TimeOptions {
  runs: number;
  warmup: number;
  /**
   * 'cpu': this process's CPU time (user + system), not wall time: on the shared 2-core machine wall time also
   * measures the neighbours, and everything timed here is single-threaded, so on an idle core both agree.
   */
  clock: 'wall' | 'cpu';
}

const now = (clock: TimeOptions['clock']) => {
  if (clock === 'wall') return performance.now();
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** Median ms per call of `f`, whose result is read back and disposed each time. */
export async function timeOp(f: () => tf.Tensor, o: TimeOptions): Promise<number> {
  for (let i = 0; i < o.warmup; i++) {
    const t = f();
    await t.data();
    t.dispose();
  }
  const times: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const t0 = now(o.clock);
    const t = f();
    await t.data();
    times.push(now(o.clock) - t0);
    t.dispose();
  }
  return median(times);
}
