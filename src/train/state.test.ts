// The trainer-state module: a capture in the middle of an iteration (after Step D, before Step G), restored into new
// models on the same or another backend, continues as the uninterrupted run does: bitwise on cpu, within a stated
// tolerance between cpu and wasm (their kernels round differently); directly and through a checkpoint file.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint';
import { presetDocument, syntheticImages } from '../testing/fixtures';
import { iterationLosses } from '../testing/trainerRuns';
import { selectBackend, type BackendName } from './backend';
import { captureCheckpoint, restoreCheckpoint } from './checkpoint';
import { compileGan, type CompiledGan } from './compile';
import { captureState, disposeState, holdState, networkVariables, readState, restoreState, stateMismatch, StateMismatchError, tensorsOf, type TrainerState } from './state';
import { GanTrainer } from './trainer';

// In Node the wasm backend finds its .wasm binaries next to its own bundle, so no setWasmPaths.

const BATCH = 8;
const MODEL_SEED = 7;
const SAMPLER_SEED = 5;
/** Iterations before the capture, and after the interrupted iteration. */
const BEFORE = 2;
const AFTER = 2;
/**
 * cpu vs wasm: the same draws (z and batches are drawn in JS) through kernels that round differently (wasm's SIMD
 * gemm sums in another order; its tanh is a rational approximation). Measured here: weights and moments differ by at
 * most 3.7e-6, losses and accuracies by 1.2e-7, the same between the two straight runs as after a move.
 */
const CROSS_BACKEND_WEIGHTS = 1e-5;
const CROSS_BACKEND_LOSS = 1e-5;

const data = syntheticImages(64);
const doc = presetDocument();

function fresh(): { gan: CompiledGan; trainer: GanTrainer } {
  const r = compileGan(doc, { seed: MODEL_SEED });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return { gan: r.gan, trainer: new GanTrainer(r.gan, data, BATCH, SAMPLER_SEED) };
}

const free = (x: { gan: CompiledGan; trainer: GanTrainer }) => {
  x.trainer.dispose();
  x.gan.dispose();
};

/** One full iteration's losses, read back. */
const iterate = (trainer: GanTrainer): Promise<number[]> => iterationLosses(trainer, 1);

/** Step D's losses, and Step G's, read back. */
async function stepD(trainer: GanTrainer): Promise<number[]> {
  const d = trainer.stepD();
  const out = [(await d.dLoss.data())[0], (await d.acc.data())[0]];
  tf.dispose([d.dLoss, d.acc]);
  return out;
}
async function stepG(trainer: GanTrainer): Promise<number[]> {
  const g = trainer.stepG();
  const out = [(await g.data())[0]];
  g.dispose();
  return out;
}

interface Outcome {
  state: TrainerState;
  /** Every loss and accuracy after the capture point: Step G of the interrupted iteration, then AFTER iterations. */
  losses: number[];
}

/** The uninterrupted run on `backend`: BEFORE iterations, Step D, Step G, AFTER iterations. */
async function uninterrupted(backend: BackendName): Promise<Outcome> {
  await selectBackend(backend);
  const x = fresh();
  for (let i = 0; i < BEFORE; i++) await iterate(x.trainer);
  await stepD(x.trainer);
  const losses = await stepG(x.trainer);
  for (let i = 0; i < AFTER; i++) losses.push(...(await iterate(x.trainer)));
  const state = await captureState(x.trainer);
  free(x);
  return { state, losses };
}

/** Trains to the middle of iteration BEFORE + 1 on `backend` and hands back what `save` made of it. */
async function interruptedAfterStepD<T>(backend: BackendName, save: (trainer: GanTrainer) => Promise<T>): Promise<T> {
  await selectBackend(backend);
  const x = fresh();
  for (let i = 0; i < BEFORE; i++) await iterate(x.trainer);
  await stepD(x.trainer);
  expect(x.trainer.phase).toBe('afterD');
  expect(x.trainer.iteration).toBe(BEFORE);
  const saved = await save(x.trainer);
  free(x);
  return saved;
}

/** Goes on from a restored trainer the way the uninterrupted run did: Step G, then AFTER iterations. */
async function continueFrom(x: { gan: CompiledGan; trainer: GanTrainer }): Promise<Outcome> {
  expect(x.trainer.phase).toBe('afterD');
  expect(x.trainer.iteration).toBe(BEFORE);
  const losses = await stepG(x.trainer);
  expect(x.trainer.iteration).toBe(BEFORE + 1);
  for (let i = 0; i < AFTER; i++) losses.push(...(await iterate(x.trainer)));
  const state = await captureState(x.trainer);
  free(x);
  return { state, losses };
}

/** Restores a plain state into new models on `backend` and continues. */
async function resumeOn(backend: BackendName, state: TrainerState): Promise<Outcome> {
  await selectBackend(backend);
  const x = fresh();
  restoreState(x.trainer, state);
  return continueFrom(x);
}

/** Every number of a state as raw bits, keyed by what it is. */
function bits(s: TrainerState): Record<string, unknown> {
  const raw = (a: Float32Array) => Array.from(new Uint32Array(a.slice().buffer));
  const scalar = (x: number) => raw(new Float32Array([x]));
  const out: Record<string, unknown> = {
    iteration: s.iteration,
    phase: s.phase,
    rngState: s.rngState,
    adam: [s.dOptimizer, s.gOptimizer].map((o) => [o.iterations, scalar(o.accBeta1), scalar(o.accBeta2)]),
  };
  for (const t of tensorsOf(s)) out[`${t.name} ${t.shape.join('x')}`] = raw(t.data);
  return out;
}

function expectClose(a: Outcome, b: Outcome): void {
  expect(b.state.iteration).toBe(a.state.iteration);
  expect(b.state.phase).toBe(a.state.phase);
  expect(b.state.rngState).toBe(a.state.rngState);
  expect(b.state.dOptimizer.iterations).toBe(a.state.dOptimizer.iterations);
  expect(b.state.gOptimizer.iterations).toBe(a.state.gOptimizer.iterations);
  const ta = tensorsOf(a.state);
  const tb = tensorsOf(b.state);
  expect(tb.map((t) => t.name)).toEqual(ta.map((t) => t.name));
  let worst = 0;
  ta.forEach((t, i) => t.data.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - tb[i].data[j])))));
  expect(worst, 'largest weight or moment difference').toBeLessThan(CROSS_BACKEND_WEIGHTS);
  expect(b.losses.length).toBe(a.losses.length);
  let worstLoss = 0;
  b.losses.forEach((l, i) => (worstLoss = Math.max(worstLoss, Math.abs(l - a.losses[i]))));
  expect(worstLoss, 'largest loss or accuracy difference').toBeLessThan(CROSS_BACKEND_LOSS);
}

let cpuStraight: Outcome;
let wasmStraight: Outcome;

beforeAll(async () => {
  cpuStraight = await uninterrupted('cpu');
  wasmStraight = await uninterrupted('wasm');
});

describe('trainer state in the middle of an iteration', () => {
  it('captured after Step D on cpu and restored on cpu, it continues bitwise like the uninterrupted run', async () => {
    const state = await interruptedAfterStepD('cpu', captureState);
    expect(state.phase).toBe('afterD');
    expect(state.dOptimizer.iterations).toBe(2 * (BEFORE + 1));
    expect(state.gOptimizer.iterations).toBe(BEFORE);
    const resumed = await resumeOn('cpu', state);
    expect(bits(resumed.state)).toEqual(bits(cpuStraight.state));
    expect(resumed.losses).toEqual(cpuStraight.losses);
  });

  it('captured after Step D on cpu and restored on wasm, it continues like the uninterrupted run within 1e-5', async () => {
    const state = await interruptedAfterStepD('cpu', captureState);
    const resumed = await resumeOn('wasm', state);
    expect(tf.getBackend()).toBe('wasm');
    // The difference is wasm's arithmetic over the remaining steps; the move itself loses nothing (see the wasm → wasm test).
    expectClose(cpuStraight, resumed);
  });

  it('captured after Step D on wasm and restored on cpu, it continues like the uninterrupted run within 1e-5', async () => {
    const state = await interruptedAfterStepD('wasm', captureState);
    const resumed = await resumeOn('cpu', state);
    expectClose(wasmStraight, resumed);
    expectClose(cpuStraight, resumed);
  });

  it('restored on the backend it was captured on, wasm continues bitwise too', async () => {
    const state = await interruptedAfterStepD('wasm', captureState);
    const resumed = await resumeOn('wasm', state);
    expect(bits(resumed.state)).toEqual(bits(wasmStraight.state));
    expect(resumed.losses).toEqual(wasmStraight.losses);
  });

  it('straight runs on cpu and on wasm differ by no more than the cross-backend tolerance either', () => {
    expectClose(cpuStraight, wasmStraight);
  });

  it('the same through a checkpoint file: capture → encode → decode → restore, bitwise on cpu, within 1e-5 on wasm', async () => {
    const file = await interruptedAfterStepD('cpu', async (trainer) => encodeCheckpoint(await captureCheckpoint(doc, trainer)));
    const decoded = decodeCheckpoint(file);
    if (!decoded.ok) throw new Error(decoded.error);
    expect(decoded.checkpoint.phase).toBe('afterD');
    expect(decoded.checkpoint.iteration).toBe(BEFORE);

    await selectBackend('cpu');
    const onCpu = await continueFrom(restoreCheckpoint(decoded.checkpoint, { dataSource: data }));
    expect(bits(onCpu.state)).toEqual(bits(cpuStraight.state));
    expect(onCpu.losses).toEqual(cpuStraight.losses);

    await selectBackend('wasm');
    expectClose(cpuStraight, await continueFrom(restoreCheckpoint(decoded.checkpoint, { dataSource: data })));
  });

  it('a held state (the NaN guard keeps one) restores after Step D as well, and nothing leaks', async () => {
    await selectBackend('cpu');
    const x = fresh();
    for (let i = 0; i < BEFORE; i++) await iterate(x.trainer);
    await stepD(x.trainer);
    const base = tf.memory().numTensors;
    const held = holdState(x.trainer);
    const plain = await readState(held);
    // Train on (a different future), then put the held state back and go on as the straight run did.
    await stepG(x.trainer);
    await iterate(x.trainer);
    restoreState(x.trainer, held);
    expect(bits(await captureState(x.trainer))).toEqual(bits(plain));
    disposeState(held);
    expect(tf.memory().numTensors).toBe(base);
    const resumed = await continueFrom(x);
    expect(bits(resumed.state)).toEqual(bits(cpuStraight.state));
  });
});

describe('trainer state', () => {
  it('capture leaves no tensor behind; a restored trainer holds as many as the one it was taken from', async () => {
    await selectBackend('cpu');
    const start = tf.memory().numTensors;
    const a = fresh();
    await iterate(a.trainer);
    await stepD(a.trainer);
    const trained = tf.memory().numTensors - start;
    const before = tf.memory().numTensors;
    const state = await captureState(a.trainer);
    expect(tf.memory().numTensors).toBe(before);
    const b = fresh();
    restoreState(b.trainer, state);
    expect(tf.memory().numTensors - before).toBe(trained);
    // Restoring again into the same trainer replaces; it adds nothing.
    restoreState(b.trainer, state);
    expect(tf.memory().numTensors - before).toBe(trained);
    free(b);
    free(a);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('carries untrained variables (moving statistics) by name, and refuses a state for other variables', async () => {
    await selectBackend('cpu');
    const withStatistics = () => {
      const x = fresh();
      // What a batch-norm layer holds besides its trained weights: a variable no optimizer updates.
      const layer = x.gan.discriminator.layers.find((l) => l.name.endsWith('d_dense1'))!;
      const addWeight = (layer as unknown as { addWeight: (...a: unknown[]) => tf.LayerVariable }).addWeight.bind(layer);
      const mean = addWeight(`${layer.name}/moving_mean`, [128], 'float32', tf.initializers.zeros(), undefined, false).read() as tf.Variable;
      // compile lists it among D's variables as it lists a batch-norm layer's; the D optimizer's list is unchanged.
      x.gan.dAllVariables.push(mean);
      return { ...x, mean };
    };
    const a = withStatistics();
    const net = networkVariables(a.gan.discriminator, a.gan.dVariables, a.gan.dAllVariables);
    expect(net.trained.map((v) => v.name)).toEqual(['d_dense1/kernel', 'd_dense1/bias', 'd_dense2/kernel', 'd_dense2/bias']);
    expect(net.untrained.map((v) => v.name)).toEqual(['d_dense1/moving_mean']);
    await iterate(a.trainer);
    a.mean.assign(tf.fill([128], 0.25));
    await stepD(a.trainer);
    const state = await captureState(a.trainer);
    expect(state.discriminatorUntrained.map((t) => [t.name, t.data[0]])).toEqual([['d_dense1/moving_mean', 0.25]]);
    expect(state.generatorUntrained).toEqual([]);

    const b = withStatistics();
    restoreState(b.trainer, state);
    expect(Array.from(b.mean.dataSync())).toEqual(new Array(128).fill(0.25));
    expect(bits(await captureState(b.trainer))).toEqual(bits(state));

    // Models without that variable (or a state without it) do not fit; nothing is changed.
    const c = fresh();
    expect(stateMismatch(c.gan, state)).toMatch(/discriminator \(untrained\) has 1 weight tensors; the document's discriminator \(untrained\) has 0/);
    expect(() => restoreState(c.trainer, state)).toThrow(StateMismatchError);
    expect(c.trainer.iteration).toBe(0);
    const wider = { ...state, discriminatorUntrained: [{ ...state.discriminatorUntrained[0], shape: [64], data: new Float32Array(64) }] };
    expect(stateMismatch(b.gan, wider)).toMatch(/"d_dense1\/moving_mean" has shape \[64\]; the document needs \[128\]/);
    for (const x of [a, b, c]) free(x);
  });

  it('Step D and Step G move the count and the phase in the trainer, and only there', async () => {
    await selectBackend('cpu');
    const x = fresh();
    const at = () => [x.trainer.iteration, x.trainer.phase];
    expect(at()).toEqual([0, 'start']);
    await stepG(x.trainer); // a G step alone trains G but completes nothing
    expect(at()).toEqual([0, 'start']);
    await stepD(x.trainer);
    expect(at()).toEqual([0, 'afterD']);
    await stepD(x.trainer); // a second D step still leaves one G step due
    expect(at()).toEqual([0, 'afterD']);
    await stepG(x.trainer);
    expect(at()).toEqual([1, 'start']);
    await stepD(x.trainer);
    x.trainer.finishIteration();
    expect(at()).toEqual([2, 'start']);
    x.trainer.finishIteration(); // at a boundary: nothing to finish
    expect(at()).toEqual([2, 'start']);
    expect((x.trainer.dOptimizer as unknown as { iterations_: number }).iterations_).toBe(6);
    free(x);
  });
});
