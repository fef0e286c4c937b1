// Conditional-GAN test fixtures: a small labelled image set and a dense CGAN with the book's label wiring
// (chapter 8), small enough for fast cpu tests.
import type { GraphDocument, GraphNode } from '../graph/document';
import type { ImageSource } from '../data/imageSource';
import { syntheticImages } from './fixtures';

/** syntheticImages with a digit label per image (0…classes − 1, cycling). */
export function syntheticLabeledImages(count = 256, size = 784, classes = 10): ImageSource {
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = (i * 7) % classes;
  return { ...syntheticImages(count, size), labels };
}

type Params = GraphNode['params'];

/**
 * The chapter-8 label wiring around small dense networks:
 *   G: label → Embedding(10, 100) → Flatten ─┐
 *      z(100) ─────────────────────────────┴ Multiply → Dense 32 → LeakyReLU → Dense 784, tanh → Reshape 28×28×1
 *   D: label → Embedding(10, 784) → Flatten → Reshape 28×28×1 ─┐
 *      image ─────────────────────────────────────────────────┴ Concatenate (28×28×2) → Flatten → Dense 16 → LeakyReLU → Dense 1, sigmoid
 * G: 1,000 + 3,232 + 25,872 = 30,104 parameters; D: 7,840 + 25,104 + 17 = 32,961.
 */
export function denseCganDocument(): GraphDocument {
  const nodes: GraphNode[] = [];
  const edges: GraphDocument['edges'] = [];
  let x = 0;
  const node = (id: string, type: string, params: Params, y: number) => void nodes.push({ id, type, params, position: { x: (x += 200), y } });
  const edge = (from: string, to: string, socket = 'in') => void edges.push({ id: `e${edges.length + 1}`, from: { node: from, socket: 'out' }, to: { node: to, socket } });
  const adam = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
  node('g_z', 'NoiseInput', { size: 100 }, 0);
  node('g_label', 'LabelInput', { classes: 10 }, 150);
  node('g_embed', 'Embedding', { inputDim: 10, outputDim: 100 }, 150);
  node('g_embed_flat', 'Flatten', {}, 150);
  node('g_join', 'Multiply', {}, 0);
  node('g_dense1', 'Dense', { units: 32, activation: 'none', useBias: true }, 0);
  node('g_lrelu', 'LeakyReLU', { alpha: 0.01 }, 0);
  node('g_dense2', 'Dense', { units: 784, activation: 'tanh', useBias: true }, 0);
  node('g_reshape', 'Reshape', { targetShape: [28, 28, 1] }, 0);
  x = 0;
  node('d_image', 'ImageInput', { dataset: 'mnist', shape: [28, 28, 1] }, 450);
  node('d_label', 'LabelInput', { classes: 10 }, 600);
  node('d_embed', 'Embedding', { inputDim: 10, outputDim: 784 }, 600);
  node('d_embed_flat', 'Flatten', {}, 600);
  node('d_embed_image', 'Reshape', { targetShape: [28, 28, 1] }, 600);
  node('d_join', 'Concatenate', { axis: -1 }, 450);
  node('d_flatten', 'Flatten', {}, 450);
  node('d_dense1', 'Dense', { units: 16, activation: 'none', useBias: true }, 450);
  node('d_lrelu', 'LeakyReLU', { alpha: 0.01 }, 450);
  node('d_dense2', 'Dense', { units: 1, activation: 'sigmoid', useBias: true }, 450);
  node('d_loss', 'BCELoss', { ...adam }, 600);
  node('gan', 'FreezingCombiner', { frozenBatchNorm: 'moving', fakesBatchNorm: 'moving' }, 250);
  node('g_loss', 'BCELoss', { ...adam }, 250);
  edge('g_label', 'g_embed');
  edge('g_embed', 'g_embed_flat');
  edge('g_z', 'g_join', 'a');
  edge('g_embed_flat', 'g_join', 'b');
  edge('g_join', 'g_dense1');
  edge('g_dense1', 'g_lrelu');
  edge('g_lrelu', 'g_dense2');
  edge('g_dense2', 'g_reshape');
  edge('d_label', 'd_embed');
  edge('d_embed', 'd_embed_flat');
  edge('d_embed_flat', 'd_embed_image');
  edge('d_image', 'd_join', 'a');
  edge('d_embed_image', 'd_join', 'b');
  edge('d_join', 'd_flatten');
  edge('d_flatten', 'd_dense1');
  edge('d_dense1', 'd_lrelu');
  edge('d_lrelu', 'd_dense2');
  edge('d_dense2', 'd_loss', 'pred');
  edge('g_reshape', 'gan', 'fake');
  edge('d_dense2', 'gan', 'critic');
  edge('gan', 'g_loss', 'pred');
  return { format: 'ganvas-graph', version: 1, name: 'Dense CGAN (test)', nodes, edges, training: { iterations: 100, batchSize: 8, sampleInterval: 50, seed: 3 } };
}
