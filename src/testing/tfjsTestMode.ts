// Vitest setup (vitest.config.ts): every test file runs tfjs in its own test mode, as tfjs's own suites do. IS_TEST
// silences tfjs's one-time advice to install tfjs-node (the cpu backend is chosen on purpose here) and makes the
// engine check every kernel call for leaked tensor data, so a kernel of ours that strands memory fails its test.
import * as tf from '@tensorflow/tfjs';

tf.env().set('IS_TEST', true);
