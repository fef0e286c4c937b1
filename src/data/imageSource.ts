// The real images a run trains on, as uint8 pixels: every data source (MNIST, a learner's own images) produces this.
/** Height × width × channels of one image; channels 1 (grayscale) or 3 (RGB, interleaved per pixel). */
export type ImageShape = [height: number, width: number, channels: 1 | 3];

/**
 * Where real images come from: `count` images of `size` uint8 pixels each (row-major, channels interleaved), scaled
 * x/127.5 − 1 when batched. `shape` is absent only for sources that predate it (MNIST's 28×28×1 then).
 */
export interface ImageSource {
  count: number;
  /** Values per image: height × width × channels (784 for MNIST). */
  size: number;
  pixels: Uint8Array;
  shape?: ImageShape;
  /** One class index per image, for conditional graphs; `classNames[label]` names it. */
  labels?: Uint8Array | Uint16Array;
  classNames?: string[];
}

/** The shape of a source's images: its own, or the square grayscale one its size implies (MNIST's IDX form). */
export function sourceShape(source: ImageSource): ImageShape {
  if (source.shape) return source.shape;
  const side = Math.round(Math.sqrt(source.size));
  return side * side === source.size ? [side, side, 1] : [1, source.size, 1];
}
