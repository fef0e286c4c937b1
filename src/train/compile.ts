// Document → tfjs models: G, D, and the combined model z → G → D that the freezing combiner describes. Each network
// is any acyclic graph of layers (branches, joins, several inputs per node), built as a tfjs functional model and,
// for training, as a lean forward that evaluates the same layers' node forwards in topological order.
import * as tf from '@tensorflow/tfjs';
import { nodeDef } from '../nodes/registry';
import { combinerBatchNorm } from '../nodes/freezingCombiner';
import { dims, num, type NetworkMode, type NodeDef, type Params } from '../nodes/types';
import { analyzeGraph, type Diagnostic, type GanStructure, type GraphAnalysis } from '../graph/analyze';
import type { GraphDocument, SocketRef } from '../graph/document';
import { hashString, Rng } from './random';

export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** A network's inputs for a forward pass: one tensor per input node in GanStructure order (or the one tensor). */
export type NetworkInputs = tf.Tensor | tf.Tensor[];

/** How a forward runs: training behaviour, whether batch norm may update its statistics, and dropout's seeds. */
export interface ForwardOptions extends NetworkMode {
  /** Fresh 32-bit seeds for random draws; defaults to the compiled GAN's own seeded generator. */
  seed?: () => number;
  /** Where moving-statistic updates go (ForwardContext.assignAfter); default: assigned at once. */
  assignAfter?: (variable: tf.Variable, value: tf.Tensor) => void;
}

const assignNow = (variable: tf.Variable, value: tf.Tensor): void => variable.assign(value);

/** Training behaviour without touching any statistics: what a forward does unless told otherwise. */
export const TRAINING_NO_UPDATE: NetworkMode = { training: true, updateStats: false };

export interface CompiledGan {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  /** z → G → D. Trained through an explicit list of G's variables only: D stays as it is during the G stage. */
  combined: tf.LayersModel;
  /** The variables each optimizer may change (trainable weights), in the models' order. */
  gVariables: tf.Variable[];
  dVariables: tf.Variable[];
  /** Every variable of each network, trained or not (batch-norm moving statistics too): what isolation compares. */
  gAllVariables: tf.Variable[];
  dAllVariables: tf.Variable[];
  /**
   * G(inputs) and D(inputs) for training: the same layers on the same variables as `generator` / `discriminator`, run
   * through each node's lean `forward` (plain differentiable ops, no tfjs-layers call overhead), node by node in
   * topological order with inputs by socket. Use inside tidy/minimize.
   */
  gForward(inputs: NetworkInputs, options?: ForwardOptions): tf.Tensor;
  dForward(inputs: NetworkInputs, options?: ForwardOptions): tf.Tensor;
  dAdam: AdamSettings;
  gAdam: AdamSettings;
  /** How the frozen D's batch norm runs in G's stage (the combiner's option): moving statistics as Keras 3, or the batch's. */
  frozenBatchNorm: 'moving' | 'batch';
  /** How G's batch norm runs when it makes D's fakes (the combiner's option): moving statistics as predict, or the batch's. */
  fakesBatchNorm: 'moving' | 'batch';
  zSize: number;
  imageShape: number[];
  /** A conditional GAN's number of label classes (its label inputs'); absent for an unconditional one. */
  labelClasses?: number;
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

/** One built layer node, with what its lean forward needs. */
interface Step {
  id: string;
  def: NodeDef;
  params: Params;
  layer: tf.layers.Layer;
  /** Where each input socket reads from, in the node's socket order. */
  inputs: { socket: string; from: SocketRef }[];
  /** All of the layer's weights, captured once built (`trainableWeights` is empty while a layer is frozen). */
  weights: tf.LayerVariable[];
  trainable: tf.LayerVariable[];
}

interface BuiltNetwork {
  model: tf.LayersModel;
  /** The input nodes' output sockets, in the network's input order. */
  inputs: SocketRef[];
  steps: Step[];
  output: SocketRef;
}

const key = (r: SocketRef) => `${r.node}:${r.socket}`;

function buildNetwork(doc: GraphDocument, analysis: GraphAnalysis, name: string, inputIds: string[], layerIds: string[], output: SocketRef, seed: number): BuiltNetwork {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const incoming = new Map(doc.edges.map((e) => [key(e.to), e.from]));
  const values = new Map<string, tf.SymbolicTensor>();
  const inputRefs = inputIds.map((id) => ({ node: id, socket: nodeDef(byId.get(id)!.type)!.outputs[0].key }));
  const inputs = inputRefs.map((r) => {
    const x = tf.input({ shape: analysis.shapes[r.node][r.socket].slice(1) as number[], dtype: nodeDef(byId.get(r.node)!.type)!.inputDtype ?? 'float32', name: `${name}_${r.node}` });
    values.set(key(r), x);
    return x;
  });
  const steps: Step[] = [];
  for (const id of layerIds) {
    const node = byId.get(id)!;
    const def = nodeDef(node.type)!;
    const wired = def.inputs.map((s) => ({ socket: s.key, from: incoming.get(key({ node: id, socket: s.key }))! }));
    const xs = wired.map((w) => values.get(key(w.from))!);
    const inputShapes = Object.fromEntries(wired.map((w, i) => [w.socket, xs[i].shape]));
    // Seeds follow node ids, so adding an unrelated node does not re-draw every other layer's weights.
    const layer = def.build!(node.params, { tf, name: `${name}_${id}`, seed: (seed ^ hashString(id)) >>> 0, inputShapes, inputShape: xs[0].shape });
    const out = layer.apply(xs.length === 1 ? xs[0] : xs) as tf.SymbolicTensor | tf.SymbolicTensor[];
    const outs = Array.isArray(out) ? out : [out];
    def.outputs.forEach((s, i) => values.set(key({ node: id, socket: s.key }), outs[i]));
    steps.push({ id, def, params: node.params, layer, inputs: wired, weights: [...layer.weights], trainable: [...layer.trainableWeights] });
  }
  return { model: tf.model({ name, inputs, outputs: values.get(key(output))! }), inputs: inputRefs, steps, output };
}

/** The training-time forward of a network: each node's `forward` on its layer's variables, in topological order. */
function networkForward(net: BuiltNetwork, fallbackSeed: () => number): (inputs: NetworkInputs, options?: ForwardOptions) => tf.Tensor {
  return (given, options = TRAINING_NO_UPDATE) => {
    const list = Array.isArray(given) ? given : [given];
    if (list.length !== net.inputs.length) throw new Error(`this network reads ${net.inputs.length} inputs, not ${list.length}`);
    const values = new Map<string, tf.Tensor>();
    net.inputs.forEach((r, i) => values.set(key(r), list[i]));
    const ctx = { tf, training: options.training, updateStats: options.updateStats, frozen: options.frozen ?? false, seed: options.seed ?? fallbackSeed, assignAfter: options.assignAfter ?? assignNow };
    for (const { id, def, params, inputs, weights } of net.steps) {
      const ins = Object.fromEntries(inputs.map((w) => [w.socket, values.get(key(w.from))!]));
      // read() hands back the tf.Variable itself, so the tape sees the variables the optimizers update.
      const out = def.forward!(ins, weights.map((w) => w.read()), params, ctx);
      if (out instanceof tf.Tensor) values.set(key({ node: id, socket: def.outputs[0].key }), out);
      else for (const s of def.outputs) values.set(key({ node: id, socket: s.key }), out[s.key]);
    }
    return values.get(key(net.output))!;
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
  const noise = s.generatorInputs.find((id) => node(id).type === 'NoiseInput')!;
  const zSize = num(node(noise).params, 'size');
  const imageShape = dims(node(s.image).params, 'shape');
  const g = buildNetwork(doc, analysis, `generator${tag}`, s.generatorInputs, s.generator, { node: s.generatorOutput, socket: s.generatorOutputSocket }, seed);
  const d = buildNetwork(doc, analysis, `discriminator${tag}`, s.discriminatorInputs, s.discriminator, { node: s.discriminatorOutput, socket: s.discriminatorOutputSocket }, seed);
  const generator = g.model;
  const discriminator = d.model;
  // The combined model reads G's inputs; G's fakes enter D where real images do, a conditional D's label input
  // reads the very labels G was asked for (chapter 8), and any other D input is its own.
  const gIn = generator.inputs.map((x, i) => tf.input({ shape: x.shape.slice(1) as number[], dtype: x.dtype, name: `combined${tag}_${s.generatorInputs[i]}` }));
  const fake = generator.apply(gIn.length === 1 ? gIn[0] : gIn) as tf.SymbolicTensor;
  const gLabelIn = s.generatorLabel ? gIn[s.generatorInputs.indexOf(s.generatorLabel)] : undefined;
  const dIn = s.discriminatorInputs.map((id, i) =>
    id === s.image ? fake : id === s.discriminatorLabel && gLabelIn ? gLabelIn : tf.input({ shape: discriminator.inputs[i].shape.slice(1) as number[], dtype: discriminator.inputs[i].dtype, name: `combined${tag}_${id}` }),
  );
  const extra = dIn.filter((x, i) => s.discriminatorInputs[i] !== s.image && s.discriminatorInputs[i] !== s.discriminatorLabel);
  const combinedInputs = [...gIn, ...extra];
  const combined = tf.model({
    name: `combined${tag}`,
    inputs: combinedInputs.length === 1 ? combinedInputs[0] : combinedInputs,
    outputs: discriminator.apply(dIn.length === 1 ? dIn[0] : dIn) as tf.SymbolicTensor,
  });
  // Dropout's masks when the caller passes no seed source of its own (the trainer passes its run's generator).
  const own = new Rng((seed ^ 0x5eed) >>> 0);
  const ownSeed = () => own.nextUint32();
  // Variables in the analysis's layer order (topological, ties in document order), which checkpoints and the
  // document's own layer list share; a functional model may list a branching graph's layers in another order.
  const trainableOf = (net: BuiltNetwork) => net.steps.flatMap((st) => st.trainable.map((w) => w.read() as tf.Variable));
  const allOf = (net: BuiltNetwork) => net.steps.flatMap((st) => st.weights.map((w) => w.read() as tf.Variable));
  const gan: CompiledGan = {
    generator,
    discriminator,
    combined,
    gVariables: trainableOf(g),
    dVariables: trainableOf(d),
    gAllVariables: allOf(g),
    dAllVariables: allOf(d),
    gForward: networkForward(g, ownSeed),
    dForward: networkForward(d, ownSeed),
    dAdam: adamSettings(doc, s.dLoss),
    gAdam: adamSettings(doc, s.gLoss),
    ...combinerBatchNorm(node(s.combiner).params),
    zSize,
    imageShape,
    ...(s.generatorLabel ? { labelClasses: num(node(s.generatorLabel).params, 'classes') } : {}),
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
