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

/** A message key from src/i18n/messages.ts plus its arguments; rendered in the user's language. */
export interface Problem {
  code: string;
  args?: Record<string, string | number>;
  socket?: string;
  param?: string;
}

export type ShapeResult = { ok: true; shapes: Record<string, Shape> } | { ok: false; problem: Problem };

/** What a shape rule may ask about the graph beyond its own inputs (the combiner needs D's input shape). */
export interface ShapeContext {
  /** Output shape of the input node at the root of the chain that feeds `socket`, if any. */
  rootInputShape(socket: string): Shape | undefined;
}

export interface BuildContext {
  tf: Tfjs;
  /** Shape of the layer's input, batch dimension included. */
  inputShape: Shape;
  /** Unique, stable layer name derived from the node id. */
  name: string;
  /** Seed for this layer's initializers (deterministic runs). */
  seed: number;
}

export type NodeCategory = 'input' | 'layer' | 'loss' | 'combiner';

export interface NodeDef {
  type: string;
  category: NodeCategory;
  title: LocalizedText;
  /** One line for the palette and tooltips. */
  summary: LocalizedText;
  /** The longer teaching text for the side panel. */
  teach: LocalizedText;
  inputs: SocketDef[];
  outputs: SocketDef[];
  params: ParamDef[];
  /** Checks that involve several parameters together; single-parameter ranges are checked generically. */
  checkParams?(params: Params): Problem[];
  /** Output shapes from input shapes; called only when every input is connected and known. */
  inferShape(inputs: Record<string, Shape>, params: Params, ctx: ShapeContext): ShapeResult;
  /** Trainable parameters this node owns, for the given input shapes. */
  paramCount(inputs: Record<string, Shape>, params: Params): number;
  /** Layer nodes: the tfjs layer. Input nodes and losses build nothing. */
  build?(params: Params, ctx: BuildContext): tf.layers.Layer;
  /**
   * The training-time forward pass of the layer that `build` makes, written with plain differentiable ops on that
   * layer's own variables (`weights` in the layer's `trainableWeights` order). Same math as the layer's `apply`, but
   * without tfjs-layers' per-call overhead, and through ops whose gradients the tape can prune (tfjs-layers' Dense
   * goes through tf.fused.matMul, whose custom gradient always computes both input gradients). Optional: nodes
   * without it train through the built layer's `apply`.
   */
  forward?(tf: Tfjs, x: tf.Tensor, weights: tf.Tensor[], params: Params): tf.Tensor;
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
