// The real images a run trains on, as uint8 pixels: every data source (MNIST, a learner's own images) produces this.
/** Where real images come from: `count` images of `size` uint8 pixels each, scaled x/127.5 − 1 when batched. */
export interface ImageSource {
  count: number;
  /** Pixels per image (784 for MNIST). */
  size: number;
  pixels: Uint8Array;
}
