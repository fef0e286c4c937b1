import { describe, expect, it } from 'vitest';
import { MNIST_FILES, mnistAsset, MnistError, parseIdxImages, parseIdxLabels, verifiedLabels, withLabels } from './mnist';

const labelFile = (labels: number[], magic = 0x801, count = labels.length) => {
  const bytes = new Uint8Array(8 + labels.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  view.setUint32(4, count);
  bytes.set(labels, 8);
  return bytes;
};

const corrupt = (f: () => unknown): MnistError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MnistError);
    return e as MnistError;
  }
  throw new Error('expected an MnistError');
};

describe('parseIdxLabels', () => {
  it('reads the labels after the 8-byte header', () => {
    expect(Array.from(parseIdxLabels(labelFile([7, 2, 1, 0, 4, 9])))).toEqual([7, 2, 1, 0, 4, 9]);
    expect(parseIdxLabels(labelFile([]))).toHaveLength(0);
  });

  it('refuses files that are not MNIST labels, saying why', () => {
    expect(corrupt(() => parseIdxLabels(new Uint8Array(4), 'x')).args).toEqual({ where: 'x', detail: 'file too short' });
    expect(corrupt(() => parseIdxLabels(labelFile([1, 2], 0x803))).args.detail).toBe('not an IDX label file');
    expect(corrupt(() => parseIdxLabels(labelFile([1, 2], 0x801, 3))).args.detail).toBe('expected 11 bytes, found 10');
    expect(corrupt(() => parseIdxLabels(labelFile([1, 12, 3]))).args.detail).toBe('label 1 is 12, not a digit');
    // An image file is not a label file.
    const images = new Uint8Array(16 + 4);
    new DataView(images.buffer).setUint32(0, 0x803);
    new DataView(images.buffer).setUint32(4, 1);
    new DataView(images.buffer).setUint32(8, 2);
    new DataView(images.buffer).setUint32(12, 2);
    expect(parseIdxImages(images).count).toBe(1);
    expect(corrupt(() => parseIdxLabels(images)).args.detail).toBe('not an IDX label file');
  });

  it('verifies the hash before trusting a label file', async () => {
    const e = await verifiedLabels('t10k-labels-idx1-ubyte', labelFile([1, 2, 3]), 'here').catch((x: unknown) => x);
    expect((e as MnistError).code).toBe('mnist.corrupt');
    expect((e as MnistError).args.detail).toMatch(/^SHA-256 [0-9a-f]{12}… does not match$/);
  });
});

describe('withLabels and the asset names', () => {
  it('pairs images with labels only when the counts agree', () => {
    const images = { count: 2, size: 1, pixels: new Uint8Array([0, 255]) };
    expect(withLabels(images, new Uint8Array([3, 4]), 'w').labels).toEqual(new Uint8Array([3, 4]));
    expect(() => withLabels(images, new Uint8Array([3]), 'w')).toThrow(/2 images but 1 labels/);
  });

  it('names one gzip asset per file of the distribution', () => {
    expect(MNIST_FILES.map(mnistAsset)).toEqual([
      'data/mnist/train-images-idx3-ubyte.gz',
      'data/mnist/train-labels-idx1-ubyte.gz',
      'data/mnist/t10k-images-idx3-ubyte.gz',
      'data/mnist/t10k-labels-idx1-ubyte.gz',
    ]);
  });
});
