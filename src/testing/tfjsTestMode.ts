// Vitest setup (vitest.config.ts): test files that load tfjs run it in its own test mode, as tfjs's own suites do.
// IS_TEST silences tfjs's one-time advice to install tfjs-node (the cpu backend is chosen on purpose here) and makes
// the engine check every kernel call for leaked tensor data, so a kernel of ours that strands memory fails its test.
import { beforeAll } from 'vitest';

beforeAll(async () => {
  // Runs after the test file's imports. Files without tfjs (graph, i18n, ...) skip loading it (~1.5 s each): tfjs
  // 4.22 keeps its engine at globalThis._tfengine once loaded.
  if (!('_tfengine' in globalThis)) return;
  const tf = await import('@tensorflow/tfjs');
  tf.env().set('IS_TEST', true);
});
