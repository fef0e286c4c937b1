// Document → tfjs models: G, D, and the combined model z → G → D that the freezing combiner describes.
import * as tf from '@tensorflow/tfjs';
import { nodeDef } from '../nodes/registry';
import { dims, num, type NodeDef, type Params } from '../nodes/types';
import { analyzeGraph, type Diagnostic, type GanStructure, type GraphAnalysis } from '../graph/analyze';
import type { GraphDocument } from '../graph/document';
import { hashString } from './random';

export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export interface CompiledGan {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  /** z → G → D. Trained through an explicit list of G's variables only: D stays as it is during the G stage. */
  combined: tf.LayersModel;
  gVariables: tf.Variable[];
  dVariables: tf.Variable[];
  /**
   * G(z) and D(x) for training: the same layers on the same variables as `generator` / `discriminator`, run through
   * each node's lean `forward` (plain differentiable ops, no tfjs-layers call overhead). Use inside tidy/minimize.
   */
  gForward(z: tf.Tensor): tf.Tensor;
  dForward(x: tf.Tensor): tf.Tensor;
  dAdam: AdamSettings;
  gAdam: AdamSettings;
  zSize: number;
  imageShape: number[];
  structure: GanStructure;
  analysis: GraphAnalysis;
  dispose(): void;
}

export type CompileResult = { ok: true; gan: CompiledGan } | { ok: false; diagnostics: Diagnostic[] };

export const adamSettings = (doc: GraphDocument, lossId: string): AdamSettings => {
  const p = doc.nodes.find((n) => n.id === lossId)!.params;
  return { learningRate: num(p, 'learningRate'), beta1: num(p, 'beta1'), beta2: num(p, 'beta2'), epsilon: num(p, 'epsilon') };
};

/** The tf.Variables behind a model's trainable weights, in a stable order. */
export const variablesOf = (model: tf.LayersModel): tf.Variable[] => model.trainableWeights.map((w) => w.read() as tf.Variable);

/** One built layer of a chain, with what its lean forward needs. */
interface ChainStep {
  def: NodeDef;
  params: Params;
  layer: tf.layers.Layer;
  /** The layer's weights, captured once built: `trainableWeights` is empty while a layer is frozen. */
  weights: tf.LayerVariable[];
}

function buildChain(doc: GraphDocument, name: string, input: tf.SymbolicTensor, layerIds: string[], seed: number): { model: tf.LayersModel; steps: ChainStep[] } {
  let x = input;
  const steps: ChainStep[] = [];
  for (const id of layerIds) {
    const node = doc.nodes.find((n) => n.id === id)!;
    const def = nodeDef(node.type)!;
    // Seeds follow node ids, so adding an unrelated node does not re-draw every other layer's weights.
    const layer = def.build!(node.params, { tf, name: `${name}_${id}`, seed: (seed ^ hashString(id)) >>> 0, inputShape: x.shape });
    x = layer.apply(x) as tf.SymbolicTensor;
    steps.push({ def, params: node.params, layer, weights: [...layer.trainableWeights] });
  }
  return { model: tf.model({ name, inputs: input, outputs: x }), steps };
}

/** The training-time forward of a chain: each node's `forward` on its layer's variables, else the layer's `apply`. */
function chainForward(steps: ChainStep[]): (x: tf.Tensor) => tf.Tensor {
  return (input) => {
    let x = input;
    for (const { def, params, layer, weights } of steps) {
      // read() hands back the tf.Variable itself, so the tape sees the variables the optimizers update.
      x = def.forward ? def.forward(tf, x, weights.map((w) => w.read()), params) : (layer.apply(x, { training: true }) as tf.Tensor);
    }
    return x;
  };
}

let compileCount = 0;

export function compileGan(doc: GraphDocument, options: { seed?: number } = {}): CompileResult {
  const analysis = analyzeGraph(doc);
  if (!analysis.ok || !analysis.gan) return { ok: false, diagnostics: analysis.diagnostics.filter((d) => d.severity === 'error') };
  const s = analysis.gan;
  const seed = options.seed ?? doc.training.seed;
  // Distinct model names per compile keep tfjs's global layer-name registry from colliding across recompiles.
  const tag = `${++compileCount}`;
  const node = (id: string) => doc.nodes.find((n) => n.id === id)!;
  const zSize = num(node(s.noise).params, 'size');
  const imageShape = dims(node(s.image).params, 'shape');
  const g = buildChain(doc, `generator${tag}`, tf.input({ shape: [zSize], name: `z${tag}` }), s.generator, seed);
  const d = buildChain(doc, `discriminator${tag}`, tf.input({ shape: imageShape, name: `image${tag}` }), s.discriminator, seed);
  const generator = g.model;
  const discriminator = d.model;
  const z = tf.input({ shape: [zSize], name: `z_combined${tag}` });
  const combined = tf.model({
    name: `combined${tag}`,
    inputs: z,
    outputs: discriminator.apply(generator.apply(z) as tf.SymbolicTensor) as tf.SymbolicTensor,
  });
  const gan: CompiledGan = {
    generator,
    discriminator,
    combined,
    gVariables: variablesOf(generator),
    dVariables: variablesOf(discriminator),
    gForward: chainForward(g.steps),
    dForward: chainForward(d.steps),
    dAdam: adamSettings(doc, s.dLoss),
    gAdam: adamSettings(doc, s.gLoss),
    zSize,
    imageShape,
    structure: s,
    analysis,
    // G and D live on as layers of the combined model; disposing it frees every weight once.
    dispose() {
      combined.dispose();
    },
  };
  return { ok: true, gan };
}

/** Trainable parameter count of a model, counted from its variables (tfjs's summary() miscounts after toggling). */
export const countParameters = (variables: tf.Variable[]): number => variables.reduce((n, v) => n + v.size, 0);
