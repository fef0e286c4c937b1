// The training worker: all tfjs work happens here, off the page's main thread. It loads and verifies MNIST, owns the
// tfjs backend (WebGL on an OffscreenCanvas, WASM or CPU, with an announced fallback), and drives a TrainingSession.
/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selectBackend } from '../train/backend';
import { softwareRenderer } from '../train/renderer';
import { decideAuto, probeWebgl } from './autoBackend';
import { MnistError } from '../data/mnist';
import { fetchMnistTrainImages, fetchMnistTrainLabels } from '../data/mnistFetch';
import { DataError } from '../data/dataset';
import { imageDatasetOf, loadStoredDataset } from '../data/storedDataset';
import type { ImageSource } from '../data/imageSource';
import type { BackendName, FromWorker, Msg, SessionSettings, ToWorker } from './protocol';
import { TrainingSession } from './session';
import { createTeachHandler, isTeachMessage } from './teachMessages';
import { isRecoveryMessage } from './recoveryMessages';
import { decodeCheckpoint } from '../io/checkpoint';
import { fetchQualityMeter } from '../eval/classifierFetch';
import type { QualityMeter } from '../eval/meter';
import { nearestImages } from './nearest';
import { sourceShape } from '../data/imageSource';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

// Vite emits the .wasm files as assets; tfjs fetches whichever its feature checks pick.
setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
// A software rasteriser (SwiftShader, some VMs) is still WebGL; without this tfjs refuses it and the person asked for it.
tf.env().set('SOFTWARE_WEBGL_ENABLED', true);

/** The next macrotask: lets pause/stop messages in between iterations, without setTimeout's 4 ms clamp. */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const macrotask = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
// Not scheduler.yield(): its continuations outrank ordinary tasks, so a loop that never waits on the GPU (WASM, CPU)
// starved the page's pause/stop messages. A plain macrotask queues behind them.
const yieldFn = macrotask;

let requested: BackendName = 'webgl';
let contextLost = false;

type WebGLBackendLike = { gpgpu?: { gl?: WebGL2RenderingContext | WebGLRenderingContext } };
const glContext = () => (tf.getBackend() === 'webgl' ? (tf.backend() as unknown as WebGLBackendLike).gpgpu?.gl : undefined);

async function trySet(name: BackendName): Promise<boolean> {
  try {
    if (name === 'webgl' && contextLost) {
      // The old backend holds a dead context: replace it so a fresh OffscreenCanvas and context are made.
      tf.removeBackend('webgl');
      tf.registerBackend('webgl', () => new tf.MathBackendWebGL(), 2);
      contextLost = false;
    }
    // The wasm paths were set once above; selectBackend also installs the wasm kernel fixes.
    await selectBackend(name);
    if (name === 'webgl') watchContext();
    return true;
  } catch {
    return false;
  }
}

/** Tells the page the backend in use, why it is not the one asked for (`fallback`), and whether WebGL is software. */
function announceBackend(name: BackendName, fallback?: Msg): void {
  const software = name === 'webgl' ? softwareRenderer(glContext()) : null;
  const note: Msg | undefined = software ? { scope: 'ui', key: 'training.softwareWebgl', args: { renderer: software } } : undefined;
  post({ type: 'backend', name, requested, ...(fallback ? { fallback } : {}), ...(note ? { note } : {}) });
}

/** Sets the backend asked for, else the next one that works, and tells the page which and why. */
async function useBackend(name: BackendName, reason?: Msg): Promise<BackendName> {
  const order: BackendName[] = name === 'webgl' ? ['webgl', 'wasm', 'cpu'] : name === 'wasm' ? ['wasm', 'cpu'] : ['cpu'];
  for (const candidate of order) {
    if (await trySet(candidate)) {
      const fallback: Msg | undefined =
        candidate === name ? reason : reason ?? { scope: 'ui', key: 'training.backendUnavailable', args: { wanted: name, backend: candidate } };
      announceBackend(candidate, fallback);
      return candidate;
    }
  }
  throw new Error('no tfjs backend could be initialised');
}

/** Listens for the WebGL context going away (driver reset, GPU process crash, tab in background on mobile, tests). */
function watchContext(): void {
  const gl = glContext();
  const canvas = gl?.canvas as (OffscreenCanvas & { __ganvasWatched?: boolean }) | undefined;
  if (!canvas || canvas.__ganvasWatched) return;
  canvas.__ganvasWatched = true;
  const gpgpu = (tf.backend() as unknown as { gpgpu?: { itemsToPoll?: unknown[] } }).gpgpu;
  canvas.addEventListener('webglcontextlost', () => {
    contextLost = true;
    // Reads waiting on GPU fences never finish on a lost context, and tfjs polls them in a loop forever, taking
    // CPU from the fallback backend. Dropping them ends that loop; their (abandoned) awaits stay pending.
    if (gpgpu?.itemsToPoll) gpgpu.itemsToPoll.length = 0;
    queue(async () => {
      if (!session) {
        await useBackend('wasm', { scope: 'engine', key: 'train.contextLost', args: { backend: 'WASM', iteration: 0 } });
        return;
      }
      const result = await session.recover('wasm');
      if (result) {
        post({ type: 'backend', name: result.name, requested, fallback: { scope: 'engine', key: 'train.contextLost', args: { backend: result.name.toUpperCase(), iteration: result.iteration } } });
      }
    }, true);
  });
}

let data: Promise<ImageSource> | undefined;
/** Which dataset `data` holds: 'mnist' or a learner's `user:…` one from IndexedDB. */
let dataFor = 'mnist';

/** MNIST's training images and, beside them, their labels (a conditional graph needs them; an unconditional one runs
 * without them, so a missing label file only matters when a graph asks for labels). */
async function loadMnistWithLabels(imagesUrl: string): Promise<ImageSource> {
  const labelsUrl = imagesUrl.replace('train-images-idx3-ubyte', 'train-labels-idx1-ubyte');
  const [images, labels] = await Promise.all([fetchMnistTrainImages(imagesUrl), fetchMnistTrainLabels(labelsUrl).catch(() => undefined)]);
  return labels && labels.length === images.count ? { ...images, labels } : images;
}
let session: TrainingSession | undefined;

// Commands run one after another; pause/stop/loseContext act at once (they only set flags the loop reads).
let chain: Promise<void> = Promise.resolve();
function queue(task: () => Promise<void>, front = false): void {
  const wrapped = async () => {
    try {
      await task();
    } catch (e) {
      if (e instanceof MnistError || e instanceof DataError) post({ type: 'error', message: e.message, msg: { scope: 'engine', key: e.code, args: e.args } });
      else post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
  // A context loss must not wait behind a command that may be stuck on the dead context.
  chain = front ? wrapped() : chain.then(wrapped);
}

/**
 * Loads the document's dataset (once: MNIST from the app, a learner's own from IndexedDB), sets the backend asked for,
 * and returns the session, halted if it was running. Another dataset than the session's starts a new session.
 */
async function prepareSession(msg: { backend: BackendName; mnistUrl: string; settings: SessionSettings }, datasetId = 'mnist'): Promise<TrainingSession> {
  post({ type: 'status', status: 'loading', iteration: 0 });
  if (datasetId !== dataFor) {
    if (session) await session.stop();
    session = undefined;
    data = undefined;
    dataFor = datasetId;
  }
  data ??= datasetId === 'mnist' ? loadMnistWithLabels(msg.mnistUrl) : loadStoredDataset(datasetId);
  let images: ImageSource;
  try {
    images = await data;
  } catch (e) {
    data = undefined; // let a later Run try again (e.g. after the data is installed)
    post({ type: 'status', status: 'idle', iteration: 0 });
    throw e;
  }
  requested = msg.backend;
  if (tf.getBackend() !== msg.backend || contextLost) await useBackend(msg.backend);
  else announceBackend(msg.backend);
  if (session && session.status === 'running') await session.halt();
  session ??= new TrainingSession({ post, yieldFn, useBackend: (n) => useBackend(n), meter: qualityMeter }, images, msg.settings);
  return session;
}

/** The quality meter on the backend training uses: loaded from the app's own assets on first use, again after a
 * backend change (its weights live on the backend they were loaded on; a lost WebGL context takes them along). */
let meterOn: { backend: string; meter: Promise<QualityMeter> } | undefined;
function qualityMeter(): Promise<QualityMeter> {
  const backend = tf.getBackend();
  if (meterOn?.backend !== backend) {
    const old = meterOn?.meter;
    const loading = fetchQualityMeter();
    meterOn = { backend, meter: loading };
    void old?.then(
      (m) => {
        try {
          m.dispose();
        } catch {
          // its context is gone: nothing left to free
        }
      },
      () => undefined,
    );
    // A failed load is tried again by the next score (the page may have been offline).
    loading.catch(() => {
      if (meterOn?.meter === loading) meterOn = undefined;
    });
  }
  return meterOn.meter;
}

/** The memorisation check, answered at once (not queued behind a run): a scan of the loaded training images. */
async function answerNearest(msg: Extract<ToWorker, { type: 'nearest' }>): Promise<void> {
  const images = await data?.catch(() => undefined);
  if (!images) {
    post({ type: 'nearest', request: msg.request, matches: [], width: 0, height: 0, channels: 1, error: { scope: 'ui', key: 'nearest.noData' } });
    return;
  }
  const [height, width, channels] = sourceShape(images);
  if (msg.pixels.length !== images.size) {
    const error = { scope: 'ui' as const, key: 'nearest.otherShape', args: { sample: msg.pixels.length, data: images.size } };
    post({ type: 'nearest', request: msg.request, matches: [], width, height, channels, error });
    return;
  }
  const matches = nearestImages(images, msg.pixels, msg.k ?? 3);
  post({ type: 'nearest', request: msg.request, matches, width, height, channels }, matches.map((m) => m.pixels.buffer));
}

// The walkthrough and model downloads borrow the session; they queue like every other command.
const teach = createTeachHandler(() => session, post);

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (isTeachMessage(msg)) {
    queue(() => teach.handle(msg));
    return;
  }
  if (isRecoveryMessage(msg)) {
    queue(async () => {
      // Checked here as well as on the page: the bytes may come from any file a person opened.
      const decoded = decodeCheckpoint(msg.checkpoint);
      if (!decoded.ok) {
        post({ type: 'error', message: decoded.error, msg: { scope: 'ui', key: 'recovery.bad', args: { detail: decoded.error } } });
        return;
      }
      const s = await prepareSession(msg, imageDatasetOf(decoded.checkpoint.doc));
      await s.restore(decoded.checkpoint, msg.settings, msg.paused);
    });
    return;
  }
  switch (msg.type) {
    case 'start':
      queue(async () => {
        const s = await prepareSession(msg, imageDatasetOf(msg.doc));
        await s.start(msg.doc, msg.settings, msg.paused ?? false);
      });
      break;
    case 'pause':
      session?.pause();
      break;
    case 'stop':
      session?.requestStop(); // the loop ends at once; the queued stop then frees the models
      queue(async () => session?.stop());
      break;
    case 'resume':
      queue(async () => session?.resume(msg.doc, msg.settings));
      break;
    case 'stepD':
    case 'stepG':
    case 'stepIteration': {
      const kind = msg.type === 'stepD' ? 'D' : msg.type === 'stepG' ? 'G' : 'iteration';
      queue(async () => session?.step(kind, msg.doc, msg.settings));
      break;
    }
    case 'setBackend':
      requested = msg.backend;
      queue(async () => {
        if (session) await session.moveTo(msg.backend);
        else await useBackend(msg.backend);
      });
      break;
    case 'probeAuto': {
      // Answered at once, not queued behind a run: the panel shows the reason before anything trains.
      const decision = decideAuto(probeWebgl());
      post({ type: 'auto', backend: decision.backend, reason: decision.reason });
      break;
    }
    case 'prefetch':
      queue(async () => {
        // With the labels, as a Run loads it: a conditional graph and the nearest images' digits need them.
        data ??= loadMnistWithLabels(msg.mnistUrl);
        // A failure here is reported by the Run that needs the data, not by a Run nobody asked for yet.
        await data.catch(() => (data = undefined));
        if (session || tf.getBackend() === msg.backend) return;
        requested = msg.backend;
        await useBackend(msg.backend);
      });
      break;
    case 'nearest':
      void answerNearest(msg).catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
      break;
    case 'loseContext': {
      const gl = glContext();
      const ext = gl?.getExtension('WEBGL_lose_context');
      if (ext) ext.loseContext();
      else post({ type: 'error', message: 'training.noLoseContext', msg: { scope: 'ui', key: 'training.noLoseContext', args: { backend: tf.getBackend() } } });
      break;
    }
  }
};

// Never a silent failure: anything that escapes the handlers above still reaches the page's alert line.
scope.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => {
  e.preventDefault();
  const r: unknown = e.reason;
  post({ type: 'error', message: r instanceof Error ? r.message : String(r) });
});

post({ type: 'status', status: 'idle', iteration: 0 });
