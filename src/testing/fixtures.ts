// Shared test fixtures: the preset as a document, and MNIST from ../shared (tests only; users get it via npm install).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeDocument, type GraphDocument } from '../graph/document';
import { loadMnistTrainImages } from '../cli/mnist';
import type { ImageSource } from '../data/imageSource';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A preset from presets/ as a document (default: the classic ch. 3 GAN). */
export function presetDocument(name = 'mnist-gan'): GraphDocument {
  const r = decodeDocument(JSON.parse(readFileSync(`${root}presets/${name}.json`, 'utf8')));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

let cached: ImageSource | undefined;
/** Training images: the shared gzip copy when present (as CI lays it out), else the installed package. */
export async function mnistForTests(): Promise<ImageSource> {
  if (!cached) {
    const shared = `${root}../shared/data/mnist/train-images-idx3-ubyte.gz`;
    cached = await loadMnistTrainImages(existsSync(shared) ? shared : undefined);
  }
  return cached;
}

/** A small deterministic image set for fast tests that do not need real digits. */
export function syntheticImages(count = 256, size = 784): ImageSource {
  const pixels = new Uint8Array(count * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  return { count, size, pixels };
}

// Deterministic values, the same on every backend: in their own module so browser pages can import them.
export { uniformData } from './uniformData';

/**
 * The preset grown into a graph with branches and joins, kept small for fast tests:
 *   G: z → Dense 32 → LeakyReLU ─┐
 *      z → Dense 32, tanh ───────┴ Add → Dense 784, tanh → Reshape 28×28×1
 *   D: image → Flatten → Dense 32 → LeakyReLU ─────┐
 *              Flatten → Dense 16 → ReLU ──────────┴ Concatenate (48) → Dense 1, sigmoid
 * G has 32,336 parameters (3,232 + 3,232 + 25,872), D 37,729 (25,120 + 12,560 + 49).
 */
export function branchingDocument(): GraphDocument {
  const doc = presetDocument();
  doc.name = 'Branching GAN (test)';
  const params = (id: string, p: Record<string, unknown>) => Object.assign(doc.nodes.find((n) => n.id === id)!.params, p);
  params('g_dense1', { units: 32 });
  params('d_dense1', { units: 32 });
  const node = (id: string, type: string, p: Record<string, unknown>, x: number, y: number) =>
    doc.nodes.push({ id, type, params: p as GraphDocument['nodes'][number]['params'], position: { x, y } });
  node('g_skip', 'Dense', { units: 32, activation: 'tanh', useBias: true }, 260, 180);
  node('g_add', 'Add', {}, 780, 90);
  node('d_side', 'Dense', { units: 16, activation: 'none', useBias: true }, 520, 600);
  node('d_side_relu', 'ReLU', {}, 780, 600);
  node('d_concat', 'Concatenate', { axis: -1 }, 1040, 510);
  // Room for the joins: the rest of each network moves right.
  const place: Record<string, [number, number]> = { g_dense2: [1040, 90], g_reshape: [1300, 90], d_dense2: [1300, 510], gan: [1560, 300], d_loss: [1560, 640], g_loss: [1820, 300] };
  for (const n of doc.nodes) if (place[n.id]) n.position = { x: place[n.id][0], y: place[n.id][1] };
  const edge = (id: string, from: string, to: string, socket = 'in') => doc.edges.push({ id, from: { node: from, socket: 'out' }, to: { node: to, socket } });
  doc.edges = doc.edges.filter((e) => e.id !== 'e3' && e.id !== 'e8');
  edge('b1', 'g_z', 'g_skip');
  edge('b2', 'g_lrelu', 'g_add', 'a');
  edge('b3', 'g_skip', 'g_add', 'b');
  edge('b4', 'g_add', 'g_dense2');
  edge('b5', 'd_flatten', 'd_side');
  edge('b6', 'd_side', 'd_side_relu');
  edge('b7', 'd_lrelu', 'd_concat', 'a');
  edge('b8', 'd_side_relu', 'd_concat', 'b');
  edge('b9', 'd_concat', 'd_dense2');
  return doc;
}
