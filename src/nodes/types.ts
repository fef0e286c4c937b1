// The contract every node type fulfils. One file per node type implements it; registry.ts lists them.
import type * as tf from '@tensorflow/tfjs';

/** The tfjs namespace, handed in by the engine: node files import only its types, so the editor bundle (which
 * reads node definitions for shapes and counts) does not carry tfjs. */
export type Tfjs = typeof tf;

/** A tensor shape; `null` stands for the batch dimension. */
export type Shape = (number | null)[];

/** Text shown to people: every node carries both languages itself. */
export interface LocalizedText {
  en: string;
  ko: string;
}

export interface SocketDef {
  key: string;
  label: LocalizedText;
}

interface ParamBase {
  key: string;
  label: LocalizedText;
  help?: LocalizedText;
}
export interface IntParam extends ParamBase {
  kind: 'int';
  default: number;
  min: number;
  max: number;
}
export interface FloatParam extends ParamBase {
  kind: 'float';
  default: number;
  min: number;
  max: number;
  /** When true the value must be strictly greater than `min`. */
  exclusiveMin?: boolean;
}
export interface EnumParam extends ParamBase {
  kind: 'enum';
  default: string;
  options: readonly string[];
  /** Values beyond `options` that are valid too (an image input's `user:…` datasets, listed at run time). */
  accepts?(value: string): boolean;
}
export interface BoolParam extends ParamBase {
  kind: 'bool';
  default: boolean;
}
export interface ShapeParam extends ParamBase {
  kind: 'shape';
  default: number[];
  minRank: number;
  maxRank: number;
  maxDim: number;
}
export type ParamDef = IntParam | FloatParam | EnumParam | BoolParam | ShapeParam;

export type ParamValue = number | string | boolean | number[];
export type Params = Record<string, ParamValue>;

/** A message code plus its arguments; rendered in the user's language. Node-specific codes are declared in the node's
 * own `messages`; graph-wide ones (param ranges, wiring, loading) live in src/i18n/messages.ts. */
export interface Problem {
  code: string;
  args?: Record<string, string | number>;
  socket?: string;
  param?: string;
}

export type ShapeResult = { ok: true; shapes: Record<string, Shape> } | { ok: false; problem: Problem };

/** An input node upstream of a socket: what feeds a network (noise, images, later labels). */
export interface UpstreamInput {
  node: string;
  type: string;
  /** Its output shape, when known. */
  shape?: Shape;
}

/** What a shape rule may ask about the graph beyond its own inputs (the combiner needs D's image shape). */
export interface ShapeContext {
  /** The input nodes (category 'input') that the subgraph feeding `socket` starts from, in document order. */
  upstreamInputs(socket: string): UpstreamInput[];
  /** The dataset an id names (src/graph/datasets.ts): its name and image shape; undefined when not loaded here. */
  dataset?(id: string): { name: string; shape: number[] } | undefined;
  /** The dataset the image input `node` reads, if it is known here. */
  datasetOf?(node: string): { name: string; shape: number[] } | undefined;
}

export interface BuildContext {
  tf: Tfjs;
  /** Shapes of the layer's inputs by socket key, batch dimension included. */
  inputShapes: Record<string, Shape>;
  /** The first input socket's shape (most layers have one input). */
  inputShape: Shape;
  /** Unique, stable layer name derived from the node id. */
  name: string;
  /** Seed for this layer's initializers (deterministic runs). */
  seed: number;
}

/**
 * How one network runs in one forward pass. The trainer passes one per network and stage, as Keras 3 runs the book's
 * loop: fakes for the D stage come from G in inference mode ({ training: false, updateStats: false }); D trains on
 * batch statistics ({ training: true, updateStats: true }); in the G stage G trains ({ true, true }) through a frozen
 * D ({ training: true, updateStats: false, frozen: true }: a training call, so dropout drops, but Keras 3 runs a
 * frozen BatchNormalization in inference mode).
 */
export interface NetworkMode {
  /** Training behaviour: batch statistics in batch norm, dropout on (Keras's `training=True`). */
  training: boolean;
  /** A batch-norm layer may assign its moving statistics (only while its own network is being trained). */
  updateStats: boolean;
  /**
   * The network is frozen (Keras's `trainable = False`): batch norm normalizes with its moving statistics even in a
   * training call, as Keras 3 does. Absent: not frozen.
   */
  frozen?: boolean;
}

export interface ForwardContext extends NetworkMode {
  tf: Tfjs;
  /** A fresh 32-bit seed for each random draw (dropout masks), from the run's seeded generator, so runs repeat. */
  seed(): number;
  /**
   * How a layer changes a variable no optimizer trains (batch norm's moving statistics, when `updateStats`): the
   * engine decides when the value lands. The trainer keeps it until its optimizer step is done, so the assignment
   * happens outside the gradient tape; outside training it is assigned at once.
   */
  assignAfter(variable: tf.Variable, value: tf.Tensor): void;
}

/** What a node's Keras export may use (Python literals: pyFloat, pyTuple, pyStr below). */
export interface KerasContext {
  /** The Keras layer / input name for this node (its id). */
  name: string;
}

/** A teaching idea a node owns: a Learn panel section, and one line for tooltips. */
export interface Concept {
  id: string;
  title: LocalizedText;
  /** One line for tooltips. */
  short: LocalizedText;
  /** The Learn panel's paragraph. */
  body: LocalizedText;
}

export type NodeCategory = 'input' | 'layer' | 'loss' | 'combiner';

/**
 * The complete node contract: everything a node type means lives in its one file. src/nodes/registry.test.ts fails
 * when any part is missing for any registered node.
 */
export interface NodeDef {
  type: string;
  category: NodeCategory;
  title: LocalizedText;
  /** One line for the palette and tooltips. */
  summary: LocalizedText;
  /** The longer teaching text for the side panel. */
  teach: LocalizedText;
  /** Sockets, each with a label shown on the canvas (multi-input nodes name theirs: "a", "b"). */
  inputs: SocketDef[];
  outputs: SocketDef[];
  params: ParamDef[];
  /** Text of every message code this node's `checkParams` and `inferShape` can emit, in every language. */
  messages: Record<string, LocalizedText>;
  /** Ideas this node teaches (Learn panel, tooltips); ids are global, other nodes may refer to them. */
  concepts?: Concept[];
  /** Concept ids for the node's tooltip, which may depend on its parameters (Dense: its activation). */
  tooltip?(params: Params): string[];
  /** Concept ids for a parameter's tooltip, by parameter key. */
  paramTooltips?: Record<string, string[]>;
  /** Checks that involve several parameters together; single-parameter ranges are checked generically. */
  checkParams?(params: Params): Problem[];
  /** Output shapes from input shapes; called only when every input is connected and known. */
  inferShape(inputs: Record<string, Shape>, params: Params, ctx: ShapeContext): ShapeResult;
  /** Trainable parameters this node owns, for the given input shapes. */
  paramCount(inputs: Record<string, Shape>, params: Params): number;
  /** Weights the layer keeps that no optimizer trains (batch norm's moving statistics); absent means none. */
  nonTrainableCount?(inputs: Record<string, Shape>, params: Params): number;
  /** Input nodes: the dtype of what they feed (class labels are int32); absent means float32. */
  inputDtype?: 'int32';
  /** Layer nodes: the tfjs layer. Multi-input nodes build a merge layer applied to their inputs in socket order. */
  build?(params: Params, ctx: BuildContext): tf.layers.Layer;
  /**
   * Layer nodes: the training-time forward pass of the layer that `build` makes, written with plain differentiable ops
   * on that layer's own variables: `weights` are ALL of the built layer's variables in `layer.weights` order
   * (trainable, then non-trainable) — the tf.Variables themselves, so batch norm may assign its moving statistics
   * when `ctx.updateStats`. Inputs by socket key. Same math as the layer's `apply`, without tfjs-layers' per-call
   * overhead, and through ops whose gradients the tape can prune. Returns one tensor per output socket (a single
   * tensor for a single-output node).
   */
  forward?(inputs: Record<string, tf.Tensor>, weights: tf.Tensor[], params: Params, ctx: ForwardContext): tf.Tensor | Record<string, tf.Tensor>;
  /**
   * The node's Keras 3 counterpart as a Python expression: a layer constructor (`layers.Dense(128, name="g_dense1")`,
   * applied by the exporter to the node's inputs in socket order), `keras.Input(...)` for an input node, the optimizer
   * for a loss. The combiner has none: it is the structure of the exported script itself.
   */
  keras?(params: Params, ctx: KerasContext): string;
}

export const shapeOk = (shapes: Record<string, Shape>): ShapeResult => ({ ok: true, shapes });
export const shapeError = (code: string, args?: Record<string, string | number>, socket?: string): ShapeResult => ({
  ok: false,
  problem: { code, args, socket },
});

/** `?×28×28×1` */
export function formatShape(shape: Shape): string {
  return shape.map((d) => (d === null ? '?' : String(d))).join('×');
}

export const sizeOf = (shape: Shape): number => shape.reduce<number>((n, d) => n * (d ?? 1), 1);

export const num = (p: Params, key: string): number => p[key] as number;
export const str = (p: Params, key: string): string => p[key] as string;
export const bool = (p: Params, key: string): boolean => p[key] as boolean;
export const dims = (p: Params, key: string): number[] => p[key] as number[];

// Python literals for the nodes' Keras lines.

/** A Python float literal: `1` would be an int, so whole numbers get `.0`; JS exponent forms (`1e-7`) are valid Python. */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot write ${x} as a Python number`);
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** A Python tuple literal of ints: `(28, 28, 1)`, `(784,)`. */
export function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}

/** A double-quoted Python string literal (JSON's escapes are valid Python escapes). */
export const pyStr = (text: string): string => JSON.stringify(text);
