// Checkpoints of live training: the trainer's state (src/train/state.ts) with the document and the run's history,
// captured into and restored from the plain Checkpoint that src/io/checkpoint.ts encodes and decodes. Everything
// needed to resume a run exactly (bitwise on the cpu backend), even between Step D and Step G. DOM-free.
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, CheckpointError, compareToDocument, expectedVariables, type Checkpoint, type VariableExpectation } from '../io/checkpoint';
import { compileGan, type CompiledGan } from './compile';
import { decodeDocument, type GraphDocument } from '../graph/document';
import { TrainingRun, type RunEvents, type RunSettings, type YieldFn } from './run';
import { captureState, networkVariables, stateMismatch, restoreState } from './state';
import { GanTrainer } from './trainer';
import type { ImageSource } from '../data/imageSource';

export { CheckpointError, type Checkpoint };

/**
 * Captures the trainer (and the run's history) as a backend-independent checkpoint. All state is taken synchronously
 * when called, before the first await, so training that continues meanwhile cannot tear it. Call it between stages:
 * from a paused run (after a Step D too), or in the run's `sample` event (after the grid has drawn its z from the
 * sampler's random state; capturing in the `checkpoint` event would miss that draw when a grid with fresh z follows).
 */
export async function captureCheckpoint(doc: GraphDocument, trainer: GanTrainer, run?: TrainingRun, options: { createdAt?: Date } = {}): Promise<Checkpoint> {
  const { gan } = trainer;
  if (run && run.trainer !== trainer) throw new CheckpointError('captureCheckpoint: the run belongs to another trainer');
  const expected = expectedVariables(doc);
  if (!expected.ok) throw new CheckpointError(`captureCheckpoint: ${expected.error}`);
  const check = (which: string, net: ReturnType<typeof networkVariables>, want: VariableExpectation[]) => {
    const all = [...net.trained, ...net.untrained].map(({ name, variable }) => ({ name, shape: variable.shape }));
    const problem = compareToDocument(which, all, want);
    if (problem) throw new CheckpointError(`captureCheckpoint: the document does not describe the trained models: ${problem}`);
  };
  check('generator', networkVariables(gan.generator, gan.gVariables, gan.gAllVariables), expected.generator);
  check('discriminator', networkVariables(gan.discriminator, gan.dVariables, gan.dAllVariables), expected.discriminator);

  // Synchronous part: plain copies here, the state's clones inside captureState before its first await.
  const history = run ? run.history.map((s) => ({ ...s })) : [];
  const fine = run ? run.fine.map((s) => ({ ...s })) : [];
  const copy = JSON.parse(JSON.stringify(doc)) as GraphDocument;
  const state = captureState(trainer);
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    createdAt: (options.createdAt ?? new Date()).toISOString(),
    doc: copy,
    training: { ...doc.training, batchSize: trainer.batchSize },
    ...(run ? { run: { ...run.settings } } : {}),
    ...(await state),
    history,
    fine,
  };
}

export interface RestoreOptions {
  /** Real images for the restored trainer; must have the document's image size. */
  dataSource: ImageSource;
}

/**
 * Compiles the checkpoint's document into new models and puts every piece of state back (restoreState): weights,
 * both Adam optimizers, the iteration and its phase, and the sampler's random state. The caller owns (and disposes)
 * gan and trainer. A checkpoint from decodeCheckpoint is already validated; anything inconsistent throws a
 * CheckpointError.
 */
export function restoreCheckpoint(ckpt: Checkpoint, options: RestoreOptions): { gan: CompiledGan; trainer: GanTrainer } {
  const decoded = decodeDocument(ckpt.doc);
  if (!decoded.ok) throw new CheckpointError(`restoreCheckpoint: the document is invalid: ${decoded.errors.map((e) => `${e.path}: ${e.code}`).join('; ')}`);
  const compiled = compileGan(decoded.doc, { seed: ckpt.training.seed });
  if (!compiled.ok) throw new CheckpointError(`restoreCheckpoint: the document does not compile: ${compiled.diagnostics.map((d) => d.code).join(', ')}`);
  const gan = compiled.gan;
  let trainer: GanTrainer | undefined;
  try {
    const pixels = gan.imageShape.reduce((n, d) => n * d, 1);
    if (options.dataSource.size !== pixels) throw new CheckpointError(`restoreCheckpoint: the data source has ${options.dataSource.size} pixels per image; the document needs ${pixels}`);
    const problem = stateMismatch(gan, ckpt);
    if (problem) throw new CheckpointError(`restoreCheckpoint: ${problem}`);
    trainer = new GanTrainer(gan, options.dataSource, ckpt.training.batchSize, ckpt.training.seed);
    restoreState(trainer, ckpt);
    return { gan, trainer };
  } catch (e) {
    trainer?.dispose();
    gan.dispose();
    throw e;
  }
}

/** Replaces a run's history and fine stats with the checkpoint's (TrainingRun exposes them as mutable arrays). */
export function restoreHistory(run: TrainingRun, ckpt: Checkpoint): void {
  run.history.length = 0;
  run.history.push(...ckpt.history.map((s) => ({ ...s })));
  run.fine.length = 0;
  run.fine.push(...ckpt.fine.map((s) => ({ ...s })));
}

/**
 * A new TrainingRun that continues the checkpoint's: the given settings, else the captured run's, else the document's
 * iterations and sample interval (reading losses back only at each sample interval).
 */
export function resumeRun(ckpt: Checkpoint, trainer: GanTrainer, options: { settings?: RunSettings; events?: RunEvents; yieldFn?: YieldFn } = {}): TrainingRun {
  const settings = options.settings ?? ckpt.run ?? { iterations: ckpt.training.iterations, sampleInterval: ckpt.training.sampleInterval, checkEvery: ckpt.training.sampleInterval };
  const run = options.yieldFn ? new TrainingRun(trainer, settings, options.events, options.yieldFn) : new TrainingRun(trainer, settings, options.events);
  restoreHistory(run, ckpt);
  return run;
}
