// The trainer's whole state, in one place: every variable of G and D (trained and not: batch-norm moving statistics
// travel too), both Adam optimizers with their exact β accumulators, the sampler's random state, the iteration and
// where within it the trainer stands (after Step D, Step G is still due). The run's NaN guard keeps a copy on the
// device; backend moves, context-loss recovery and checkpoint files keep plain Float32Arrays. Restoring either puts
// every value back exactly, on any backend, and is the only way the trainer's count moves besides training.
import * as tf from '@tensorflow/tfjs';
import { captureAdam, restoreAdam } from './adamState';
import { checkMoments, tensorsOf } from '../io/checkpoint';
import type { CompiledGan } from './compile';
import type { GanTrainer, IterationPhase } from './trainer';

export type { IterationPhase };
export { tensorsOf };

/** A tensor under its stored name: the variable name without the per-compile model prefix (`g_dense1/kernel`). */
export interface NamedTensor<T> {
  name: string;
  shape: number[];
  data: T;
}

/** One Adam optimizer. The moments exist only after its first step, so both lists are empty until then. */
export interface OptimizerState<T, S> {
  iterations: number;
  /**
   * β1^(t+1) and β2^(t+1) as the optimizer accumulated them by repeated float32 multiplication; pow() differs in the
   * last bit after a few steps, so keeping them is what makes resuming bitwise exact.
   */
  accBeta1: S;
  accBeta2: S;
  /** One per trained variable, in the order of the network's trained list (moment i belongs to its variable i). */
  first: NamedTensor<T>[];
  second: NamedTensor<T>[];
}

/**
 * Plain (`TrainerState`) or on the device (`HeldState`). Each network's variables come in two lists: the ones its
 * optimizer trains, in the optimizer's order, and the rest (moving statistics), which only the forward pass changes.
 */
export interface TrainerState<T = Float32Array, S = number> {
  /** Completed iterations. */
  iteration: number;
  /** 'afterD': Step D of iteration `iteration + 1` is done and its Step G is due. */
  phase: IterationPhase;
  /** The sampler's whole random state (src/train/random.ts). */
  rngState: number;
  generator: NamedTensor<T>[];
  discriminator: NamedTensor<T>[];
  generatorUntrained: NamedTensor<T>[];
  discriminatorUntrained: NamedTensor<T>[];
  dOptimizer: OptimizerState<T, S>;
  gOptimizer: OptimizerState<T, S>;
}

/** Clones on the current backend: cheap to take (no read-back), for the run's last good snapshot. */
export type HeldState = TrainerState<tf.Tensor, tf.Tensor>;

/** Thrown when a state does not fit the trainer it is restored into (other layers or shapes). */
export class StateMismatchError extends Error {
  override name = 'StateMismatchError';
}

/** A variable's stored name: without the per-compile model prefix (`generator3_`), so names match across recompiles. */
export const storedName = (model: tf.LayersModel, variableName: string): string =>
  variableName.startsWith(`${model.name}_`) ? variableName.slice(model.name.length + 1) : variableName;

interface NetworkVariables {
  /** The optimizer's variables, in its order. */
  trained: { name: string; variable: tf.Variable }[];
  /** Every other variable of the network, in the model's order. */
  untrained: { name: string; variable: tf.Variable }[];
}

/**
 * Every variable of a network under its stored name: the optimizer's list (CompiledGan.gVariables / dVariables), then
 * the rest of all its variables (gAllVariables / dAllVariables: trainable or not, batch-norm moving statistics too).
 */
export function networkVariables(model: tf.LayersModel, trained: tf.Variable[], all: tf.Variable[]): NetworkVariables {
  const named = (variable: tf.Variable) => ({ name: storedName(model, variable.name), variable });
  const inTrained = new Set(trained.map((v) => v.id));
  return { trained: trained.map(named), untrained: all.filter((v) => !inTrained.has(v.id)).map(named) };
}

const networksOf = (gan: CompiledGan) => ({
  generator: networkVariables(gan.generator, gan.gVariables, gan.gAllVariables),
  discriminator: networkVariables(gan.discriminator, gan.dVariables, gan.dAllVariables),
});

/**
 * The trainer's state as clones on its backend. Synchronous, so training that goes on afterwards cannot tear it.
 * The caller owns the clones (disposeState).
 */
export function holdState(trainer: GanTrainer): HeldState {
  const { generator, discriminator } = networksOf(trainer.gan);
  const clone = (list: NetworkVariables['trained']) => list.map(({ name, variable }) => ({ name, shape: [...variable.shape], data: tf.clone(variable) }));
  const adam = (opt: tf.AdamOptimizer, net: NetworkVariables): OptimizerState<tf.Tensor, tf.Tensor> => {
    const a = captureAdam(opt);
    const moments = (ts: tf.Tensor[], suffix: string) => ts.map((data, i) => ({ name: `${net.trained[i]?.name ?? i}/${suffix}`, shape: [...data.shape], data }));
    return { iterations: a.iterations, accBeta1: a.accBetas![0], accBeta2: a.accBetas![1], first: moments(a.first, 'm'), second: moments(a.second, 'v') };
  };
  return {
    iteration: trainer.iteration,
    phase: trainer.phase,
    rngState: trainer.sampler.rng.state,
    generator: clone(generator.trained),
    discriminator: clone(discriminator.trained),
    generatorUntrained: clone(generator.untrained),
    discriminatorUntrained: clone(discriminator.untrained),
    dOptimizer: adam(trainer.dOptimizer, discriminator),
    gOptimizer: adam(trainer.gOptimizer, generator),
  };
}

export function disposeState(s: HeldState): void {
  tf.dispose([...tensorsOf(s).map((t) => t.data), s.dOptimizer.accBeta1, s.dOptimizer.accBeta2, s.gOptimizer.accBeta1, s.gOptimizer.accBeta2]);
}

/** Reads a held state back into plain arrays (any backend can restore those). Does not dispose `held`. */
export async function readState(held: HeldState): Promise<TrainerState> {
  // Copies, because the cpu backend may hand out its own backing array.
  const read = async (t: tf.Tensor) => Float32Array.from(await t.data());
  const list = (ts: NamedTensor<tf.Tensor>[]) => Promise.all(ts.map(async (t) => ({ name: t.name, shape: [...t.shape], data: await read(t.data) })));
  const adam = async (o: OptimizerState<tf.Tensor, tf.Tensor>): Promise<OptimizerState<Float32Array, number>> => ({
    iterations: o.iterations,
    accBeta1: (await read(o.accBeta1))[0],
    accBeta2: (await read(o.accBeta2))[0],
    first: await list(o.first),
    second: await list(o.second),
  });
  const [generator, discriminator, generatorUntrained, discriminatorUntrained, dOptimizer, gOptimizer] = await Promise.all([
    list(held.generator),
    list(held.discriminator),
    list(held.generatorUntrained),
    list(held.discriminatorUntrained),
    adam(held.dOptimizer),
    adam(held.gOptimizer),
  ]);
  return { iteration: held.iteration, phase: held.phase, rngState: held.rngState, generator, discriminator, generatorUntrained, discriminatorUntrained, dOptimizer, gOptimizer };
}

/** The trainer's state as plain arrays. Everything is taken synchronously, before the first await. */
export async function captureState(trainer: GanTrainer): Promise<TrainerState> {
  const held = holdState(trainer);
  try {
    return await readState(held);
  } finally {
    disposeState(held);
  }
}

type Shaped = { name: string; shape: readonly number[] };
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const listed = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** Same names and shapes, in any order. Returns a message, or null. */
function compareVariables(which: string, stored: Shaped[], live: Shaped[]): string | null {
  if (stored.length !== live.length) return `${which} has ${stored.length} weight tensors; the document's ${which} has ${live.length}`;
  const byName = new Map(stored.map((t) => [t.name, t]));
  for (const v of live) {
    const t = byName.get(v.name);
    if (!t) return `${which} has no weight "${v.name}"`;
    if (!sameShape(t.shape, v.shape)) return `${which} weight "${v.name}" has shape ${listed(t.shape)}; the document needs ${listed(v.shape)}`;
  }
  return null;
}

const shaped = (list: NetworkVariables['trained']): Shaped[] => list.map(({ name, variable }) => ({ name, shape: variable.shape }));

/** Why `state` cannot be restored into `gan` (other layers, shapes or moments), or null when it can. */
export function stateMismatch<T, S>(gan: CompiledGan, state: TrainerState<T, S>): string | null {
  const { generator, discriminator } = networksOf(gan);
  return (
    compareVariables('generator', state.generator, shaped(generator.trained)) ??
    compareVariables('discriminator', state.discriminator, shaped(discriminator.trained)) ??
    compareVariables('generator (untrained)', state.generatorUntrained, shaped(generator.untrained)) ??
    compareVariables('discriminator (untrained)', state.discriminatorUntrained, shaped(discriminator.untrained)) ??
    checkMoments('D optimizer', state.dOptimizer, state.discriminator) ??
    checkMoments('G optimizer', state.gOptimizer, state.generator)
  );
}

/**
 * Puts a state back into the trainer: every variable, both optimizers, the random state, the iteration and its phase.
 * Plain arrays become tensors on the current backend; held tensors are shared, not taken (the caller still disposes
 * them). Throws a StateMismatchError, changing nothing, when the state does not fit.
 */
export function restoreState<T extends Float32Array | tf.Tensor, S extends number | tf.Tensor>(trainer: GanTrainer, state: TrainerState<T, S>): void {
  const problem = stateMismatch(trainer.gan, state);
  if (problem) throw new StateMismatchError(problem);
  const { generator, discriminator } = networksOf(trainer.gan);
  const tensor = (t: NamedTensor<T>) => (t.data instanceof tf.Tensor ? t.data : tf.tensor(t.data, t.shape, 'float32'));
  const scalar = (s: S) => (s instanceof tf.Tensor ? s : tf.scalar(s, 'float32'));
  // tidy frees the tensors made from plain arrays once the variables hold their data (assign shares it).
  tf.tidy(() => {
    const put = (stored: NamedTensor<T>[], live: NetworkVariables['trained']) => {
      const byName = new Map(stored.map((t) => [t.name, t]));
      for (const { name, variable } of live) variable.assign(tensor(byName.get(name)!));
    };
    put(state.generator, generator.trained);
    put(state.discriminator, discriminator.trained);
    put(state.generatorUntrained, generator.untrained);
    put(state.discriminatorUntrained, discriminator.untrained);
    const adam = (opt: tf.AdamOptimizer, s: OptimizerState<T, S>, stored: NamedTensor<T>[], live: NetworkVariables['trained']) => {
      // Moment i belongs to stored variable i; the optimizer's slots follow the live trained list.
      const index = new Map(stored.map((t, i) => [t.name, i]));
      const order = live.map(({ name }) => index.get(name)!);
      const moments = (list: NamedTensor<T>[]) => (list.length === 0 ? [] : order.map((i) => tensor(list[i])));
      restoreAdam(opt, { iterations: s.iterations, first: moments(s.first), second: moments(s.second), accBetas: [scalar(s.accBeta1), scalar(s.accBeta2)] });
    };
    adam(trainer.dOptimizer, state.dOptimizer, state.discriminator, discriminator.trained);
    adam(trainer.gOptimizer, state.gOptimizer, state.generator, generator.trained);
  });
  trainer.sampler.rng.state = state.rngState >>> 0;
  trainer.restoreProgress(state.iteration, state.phase);
}
