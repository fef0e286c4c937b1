// Exact copies of an Adam optimizer's state, for in-memory snapshots and checkpoint files. tfjs's own
// getWeights/setWeights allocate fresh variables on every restore and leave the old ones alive, so this reads and
// assigns the accumulators in place instead.
import * as tf from '@tensorflow/tfjs';
import { adamInternals as internals, type AdamInternals } from '../kernels/fusedAdam';

export interface AdamState {
  iterations: number;
  first: tf.Tensor[];
  second: tf.Tensor[];
  /** β1^(t+1) and β2^(t+1) as Adam accumulated them by repeated float32 products; pow() differs in the last bit. */
  accBetas?: [tf.Tensor, tf.Tensor];
}

/** Clones of the optimizer's moments; the caller owns them. */
export function captureAdam(opt: tf.AdamOptimizer): AdamState {
  const a = internals(opt);
  return {
    iterations: a.iterations_ ?? 0,
    first: a.accumulatedFirstMoment.map((m) => tf.clone(m.variable)),
    second: a.accumulatedSecondMoment.map((m) => tf.clone(m.variable)),
    accBetas: [tf.clone(a.accBeta1), tf.clone(a.accBeta2)],
  };
}

/** Puts a captured state back. Does not take ownership of `state`'s tensors. */
export function restoreAdam(opt: tf.AdamOptimizer, state: AdamState): void {
  const a = internals(opt);
  a.iterations_ = state.iterations;
  tf.tidy(() => {
    a.accBeta1.assign(state.accBetas?.[0] ?? tf.pow(a.beta1, state.iterations + 1));
    a.accBeta2.assign(state.accBetas?.[1] ?? tf.pow(a.beta2, state.iterations + 1));
  });
  const put = (slots: AdamInternals['accumulatedFirstMoment'], values: tf.Tensor[], prefix: string) => {
    // Slots beyond the snapshot (created after it) are dropped; missing ones are created.
    for (const extra of slots.splice(values.length)) extra.variable.dispose();
    values.forEach((v, i) => {
      if (slots[i]) slots[i].variable.assign(v);
      // tf.variable shares v's data (one more reference), so no intermediate tensor is left behind.
      else slots[i] = { originalName: `${prefix}${i}`, variable: tf.variable(v, false) };
    });
  };
  put(a.accumulatedFirstMoment, state.first, 'm');
  put(a.accumulatedSecondMoment, state.second, 'v');
}

export const disposeAdamState = (s: AdamState): void => tf.dispose([...s.first, ...s.second, ...(s.accBetas ?? [])]);
