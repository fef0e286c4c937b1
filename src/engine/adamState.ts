// Exact copies of an Adam optimizer's state, for in-memory snapshots and checkpoint files. tfjs's own
// getWeights/setWeights allocate fresh variables on every restore and leave the old ones alive, so this reads and
// assigns the accumulators in place instead.
import * as tf from '@tensorflow/tfjs';

/** The fields of tfjs 4.22's AdamOptimizer that hold its state (see adam_optimizer.js). */
interface AdamInternals {
  beta1: number;
  beta2: number;
  iterations_: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

export interface AdamState {
  iterations: number;
  first: tf.Tensor[];
  second: tf.Tensor[];
}

const internals = (opt: tf.AdamOptimizer) => opt as unknown as AdamInternals;

/** Clones of the optimizer's moments; the caller owns them. */
export function captureAdam(opt: tf.AdamOptimizer): AdamState {
  const a = internals(opt);
  return {
    iterations: a.iterations_ ?? 0,
    first: a.accumulatedFirstMoment.map((m) => tf.clone(m.variable)),
    second: a.accumulatedSecondMoment.map((m) => tf.clone(m.variable)),
  };
}

/** Puts a captured state back. Does not take ownership of `state`'s tensors. */
export function restoreAdam(opt: tf.AdamOptimizer, state: AdamState): void {
  const a = internals(opt);
  a.iterations_ = state.iterations;
  tf.tidy(() => {
    a.accBeta1.assign(tf.pow(a.beta1, state.iterations + 1));
    a.accBeta2.assign(tf.pow(a.beta2, state.iterations + 1));
  });
  const put = (slots: AdamInternals['accumulatedFirstMoment'], values: tf.Tensor[], prefix: string) => {
    // Slots beyond the snapshot (created after it) are dropped; missing ones are created.
    for (const extra of slots.splice(values.length)) extra.variable.dispose();
    values.forEach((v, i) => {
      if (slots[i]) slots[i].variable.assign(v);
      else slots[i] = { originalName: `${prefix}${i}`, variable: tf.clone(v).variable(false) };
    });
  };
  put(a.accumulatedFirstMoment, state.first, 'm');
  put(a.accumulatedSecondMoment, state.second, 'v');
}

export const disposeAdamState = (s: AdamState): void => tf.dispose([...s.first, ...s.second]);

/** Plain arrays, for checkpoint files. */
export async function adamStateToJson(s: AdamState): Promise<{ iterations: number; first: number[][]; second: number[][] }> {
  const arrays = async (ts: tf.Tensor[]) => Promise.all(ts.map(async (t) => Array.from(await t.data())));
  return { iterations: s.iterations, first: await arrays(s.first), second: await arrays(s.second) };
}
