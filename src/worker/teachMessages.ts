// The teaching messages of the training worker (walkthrough, model download) and their worker-side handling, kept
// apart from the training protocol so the two grow independently; protocol.ts adds them to its unions.
import * as tf from '@tensorflow/tfjs';
import type { GraphDocument } from '../graph/document';
import { walkIteration, type WalkStage } from '../train/walkthrough';
import type { IterationStats } from '../io/logLine';
import type { FromWorker, SessionSettings } from './protocol';
import type { TrainingSession } from './session';

export type ModelWhich = 'generator' | 'discriminator';

// ---- page → worker ----
export type TeachToWorker =
  /** The next stage of the walkthrough: the first call begins an iteration of the paused session. */
  | { type: 'walkNext'; doc: GraphDocument; settings: SessionSettings }
  /** Abandons a walkthrough part-way (its tensors are freed; updates already taken stay). */
  | { type: 'walkCancel' }
  /** The live G or D as tfjs model files (model.json + weights). */
  | { type: 'saveModel'; which: ModelWhich };

// ---- worker → page ----
export type TeachFromWorker =
  | { type: 'walkStage'; stage: WalkStage }
  /** `modelJson`: the tfjs model.json text, its manifest naming `<which>.weights.bin`; `weights`: that file's bytes. */
  | { type: 'modelFiles'; which: ModelWhich; modelJson: string; weights: ArrayBuffer };

export const isTeachMessage = (m: { type: string }): m is TeachToWorker => m.type === 'walkNext' || m.type === 'walkCancel' || m.type === 'saveModel';

type Post = (msg: FromWorker, transfer?: Transferable[]) => void;

export function createTeachHandler(session: () => TrainingSession | undefined, post: Post) {
  let walk: AsyncGenerator<WalkStage, IterationStats, void> | undefined;

  async function walkNext(doc: GraphDocument, settings: SessionSettings): Promise<void> {
    const s = session();
    const live = s ? await s.borrow(walk ? undefined : { doc, settings }) : undefined;
    if (!s || !live) {
      walk = undefined;
      post({ type: 'error', message: 'teach.noSession', msg: { scope: 'ui', key: 'teach.noSession' } });
      return;
    }
    walk ??= walkIteration(live.trainer);
    const r = await walk.next();
    if (r.done) {
      walk = undefined;
      return;
    }
    const stage = r.value;
    post({ type: 'walkStage', stage }, stage.images ? [stage.images.pixels.buffer] : []);
    if (stage.id !== 'log') return;
    // The iteration is complete: report it like any hand-taken iteration (log line, grid, iteration count).
    const end = await walk.next();
    walk = undefined;
    if (end.done) post({ type: 'checkpoint', stats: end.value, line: stage.line ?? '' });
    const pixels = await live.run.grid();
    const [h, w] = live.gan.imageShape;
    post({ type: 'sample', iteration: live.trainer.iteration, pixels, count: pixels.length / (h * w), width: w, height: h }, [pixels.buffer]);
    post({ type: 'status', status: s.status, iteration: live.trainer.iteration });
  }

  async function saveModel(which: ModelWhich): Promise<void> {
    const live = await session()?.borrow();
    if (!live) {
      post({ type: 'error', message: 'teach.noModel', msg: { scope: 'ui', key: 'teach.noModel' } });
      return;
    }
    const model = which === 'generator' ? live.gan.generator : live.gan.discriminator;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        const weights = a.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(a.weightData);
        // The layout tf.io.browserDownloads writes, so tf.io.browserFiles (and tfjs-converter tools) read it back.
        const modelJson: tf.io.ModelJSON = {
          modelTopology: a.modelTopology!,
          format: a.format ?? 'layers-model',
          generatedBy: a.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          weightsManifest: [{ paths: [`./${which}.weights.bin`], weights: a.weightSpecs ?? [] }],
        };
        post({ type: 'modelFiles', which, modelJson: JSON.stringify(modelJson), weights }, [weights]);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
      }),
    );
  }

  return {
    async handle(msg: TeachToWorker): Promise<void> {
      switch (msg.type) {
        case 'walkNext':
          return walkNext(msg.doc, msg.settings);
        case 'walkCancel':
          await walk?.return(undefined as never);
          walk = undefined;
          return;
        case 'saveModel':
          return saveModel(msg.which);
      }
    },
  };
}
