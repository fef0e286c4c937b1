// Training recovery in the worker: at every sample interval the running session's checkpoint (src/train/checkpoint.ts)
// goes to the page, which keeps it in IndexedDB; after a reload or crash the page sends it back to continue the run.
// Kept apart from the training protocol like teachMessages.ts; protocol.ts adds these to its unions.
import { encodeCheckpoint } from '../io/checkpoint';
import { captureCheckpoint } from '../train/checkpoint';
import type { GraphDocument } from '../graph/document';
import type { TrainingRun } from '../train/run';
import type { GanTrainer } from '../train/trainer';
import type { BackendName, FromWorker, SessionSettings } from './protocol';

// ---- page → worker ----
export type RecoveryToWorker =
  /**
   * Loads MNIST (once), sets the backend and rebuilds the run in `checkpoint` (encodeCheckpoint bytes): weights, both
   * Adam states, iteration, random state, history. Runs on from there unless `paused`.
   */
  { type: 'restoreCheckpoint'; checkpoint: Uint8Array; settings: SessionSettings; backend: BackendName; paused: boolean; mnistUrl: string };

// ---- worker → page ----
export type RecoveryFromWorker =
  /** The run's checkpoint after sample interval `iteration`; `doc` is the document it was trained from. */
  { type: 'checkpointData'; iteration: number; doc: GraphDocument; bytes: Uint8Array };

export const isRecoveryMessage = (m: { type: string }): m is RecoveryToWorker => m.type === 'restoreCheckpoint';

type Post = (msg: FromWorker, transfer?: Transferable[]) => void;

/**
 * Captures the run's checkpoint and posts it once read back. Call it in the run's `sample` event: captureCheckpoint
 * takes every piece of state synchronously, so the loop may go on training while the tensors are read back.
 */
export function postCheckpoint(doc: GraphDocument, trainer: GanTrainer, run: TrainingRun, post: Post): void {
  captureCheckpoint(doc, trainer, run).then(
    (ckpt) => {
      const bytes = encodeCheckpoint(ckpt);
      post({ type: 'checkpointData', iteration: ckpt.iteration, doc, bytes }, [bytes.buffer]);
    },
    // Not being able to keep a checkpoint must not stop training; the page shows why.
    (e: unknown) => post({ type: 'error', message: String(e), msg: { scope: 'ui', key: 'recovery.captureFailed', args: { detail: e instanceof Error ? e.message : String(e) } } }),
  );
}
