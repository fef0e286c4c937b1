// Conv2D, Conv2DTranspose, BatchNormalization and Dropout: Keras's output sizes, counts, messages and Keras lines,
// and the DCGAN preset's shapes and counts (trained + moving statistics) per node and per network.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d, convOutputSize, convTransposeOutputSize } from './conv2d';
import { conv2dTranspose } from './conv2dTranspose';
import { batchNorm } from './batchNorm';
import { dropout } from './dropout';
import { formatShape, type NodeDef, type Params } from './types';
import { analyzeGraph } from '../graph/analyze';
import { defaultParams, type GraphDocument } from '../graph/document';
import { engineMessage, ENGINE_MESSAGES } from '../i18n/messages';
import { presetDocument } from '../testing/fixtures';
import { PRESET_IDS, presetDocumentById } from '../graph/presets';
import { exportKeras } from '../io/kerasExport';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const params = (def: NodeDef, over: Params = {}): Params => ({ ...defaultParams(def.type), ...over });

describe('output sizes, as Keras computes them', () => {
  it('matches the table of Keras conv_output_length / deconv_output_length', () => {
    expect(convOutputSize(7, 3, 2, 'same')).toBe(4); // the DCGAN discriminator's last conv
    expect(convOutputSize(28, 3, 2, 'same')).toBe(14);
    expect(convOutputSize(28, 3, 1, 'valid')).toBe(26);
    expect(convOutputSize(7, 3, 2, 'valid')).toBe(3);
    expect(convOutputSize(28, 5, 3, 'valid')).toBe(8);
    expect(convTransposeOutputSize(7, 3, 2, 'same')).toBe(14);
    expect(convTransposeOutputSize(7, 3, 2, 'valid')).toBe(15); // (7 − 1)·2 + 3
    expect(convTransposeOutputSize(7, 1, 2, 'valid')).toBe(14); // kernel < stride: in·stride
    expect(convTransposeOutputSize(14, 3, 1, 'same')).toBe(14);
  });

  it('equals what the built tfjs layers compute, for every stride, kernel and padding on odd and even sizes', () => {
    for (const def of [conv2d, conv2dTranspose]) {
      for (const size of [5, 7, 8]) {
        for (const k of [1, 2, 3, 5]) {
          for (const s of [1, 2, 3]) {
            for (const padding of ['same', 'valid']) {
              const p = params(def, { filters: 2, kernelSize: k, strides: s, padding });
              const r = def.inferShape({ in: [null, size, size + 1, 3] }, p, { upstreamInputs: () => [] });
              if (!r.ok) {
                expect(def === conv2d && padding === 'valid' && k > size).toBe(true);
                continue;
              }
              const layer = def.build!(p, { tf, name: `${def.type}_${size}_${k}_${s}_${padding}`, seed: 1, inputShape: [null, size, size + 1, 3], inputShapes: { in: [null, size, size + 1, 3] } });
              const y = tf.tidy(() => layer.apply(tf.zeros([1, size, size + 1, 3])) as tf.Tensor);
              expect([null, ...y.shape.slice(1)], `${def.type} ${size} k${k} s${s} ${padding}`).toEqual(r.shapes.out);
              y.dispose();
              layer.dispose();
            }
          }
        }
      }
    }
  });
});

describe('messages in the node\'s words', () => {
  it('a flat input to a convolution says what to do, in English and Korean', () => {
    const r = conv2d.inferShape({ in: [null, 784] }, params(conv2d), { upstreamInputs: () => [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(engineMessage(r.problem.code, r.problem.args)).toBe('Conv2D needs an image-shaped input (height×width×channels), but gets ?×784: put a Reshape before it.');
    expect(engineMessage(r.problem.code, r.problem.args, 'ko')).toContain('?×784');
    expect(r.problem.socket).toBe('in');
    const t = conv2dTranspose.inferShape({ in: [null, 12544] }, params(conv2dTranspose), { upstreamInputs: () => [] });
    expect(!t.ok && engineMessage(t.problem.code, t.problem.args)).toContain('Conv2DTranspose needs an image-shaped input');
    for (const code of ['shape.convNeedsImage', 'shape.convTransposeNeedsImage', 'shape.convKernelTooBig', 'shape.convTooLarge', 'shape.batchNormNeedsChannels']) {
      expect(ENGINE_MESSAGES.en[code]).toBeTruthy();
      expect(ENGINE_MESSAGES.ko[code]).toBeTruthy();
    }
  });

  it('a valid-padding kernel larger than the image is refused with its sizes', () => {
    const r = conv2d.inferShape({ in: [null, 2, 2, 8] }, params(conv2d, { padding: 'valid', kernelSize: 3 }), { upstreamInputs: () => [] });
    expect(!r.ok && engineMessage(r.problem.code, r.problem.args)).toBe('A 3×3 kernel with "valid" padding does not fit in ?×2×2×8: use "same" padding or a smaller kernel.');
  });

  it('a wrong input rank shows on the node in a graph', () => {
    const doc = presetDocument('dcgan-mnist');
    // The first Conv2DTranspose fed straight from the flat Dense output, skipping the Reshape.
    const edge = doc.edges.find((e) => e.to.node === 'g_convt1')!;
    edge.from = { node: 'g_dense', socket: 'out' };
    const a = analyzeGraph(doc);
    const d = a.diagnostics.find((x) => x.node === 'g_convt1');
    expect(d && engineMessage(d.code, d.args)).toBe('Conv2DTranspose needs an image-shaped input (height×width×channels), but gets ?×12544: put a Reshape before it.');
  });
});

describe('counts and Keras lines', () => {
  it('a convolution owns k·k·in·filters + filters; batch norm 2 trained + 2 moving statistics per channel', () => {
    const x = { in: [null, 14, 14, 32] };
    expect(conv2d.paramCount(x, params(conv2d, { filters: 64 }))).toBe(18_496);
    expect(conv2d.paramCount(x, params(conv2d, { filters: 64, useBias: false }))).toBe(18_432);
    expect(conv2dTranspose.paramCount({ in: [null, 7, 7, 256] }, params(conv2dTranspose, { filters: 128 }))).toBe(295_040);
    expect(batchNorm.paramCount(x, params(batchNorm))).toBe(64);
    expect(batchNorm.nonTrainableCount!(x, params(batchNorm))).toBe(64);
    expect(dropout.paramCount(x, params(dropout))).toBe(0);
  });

  it('batch norm defaults to Keras\'s momentum 0.99 and ε 0.001, and its built layer keeps the moving statistics untrained', () => {
    expect(params(batchNorm)).toEqual({ momentum: 0.99, epsilon: 0.001 });
    const layer = batchNorm.build!(params(batchNorm), { tf, name: 'bn_counts', seed: 1, inputShape: [null, 4, 4, 8], inputShapes: { in: [null, 4, 4, 8] } });
    layer.apply(tf.input({ shape: [4, 4, 8] }));
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[8], [8]]);
    expect(layer.nonTrainableWeights.map((w) => w.name.split('/').pop())).toEqual(['moving_mean', 'moving_variance']);
    expect(layer.weights.map((w) => w.name.split('/').pop())).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    layer.dispose();
  });

  it('each node writes its Keras 3 line', () => {
    const name = { name: 'n1' };
    expect(conv2d.keras!(params(conv2d, { filters: 32 }), name)).toBe('layers.Conv2D(32, kernel_size=3, strides=2, padding="same", name="n1")');
    expect(conv2dTranspose.keras!(params(conv2dTranspose, { filters: 1, activation: 'tanh' }), name)).toBe('layers.Conv2DTranspose(1, kernel_size=3, strides=2, padding="same", activation="tanh", name="n1")');
    expect(batchNorm.keras!(params(batchNorm), name)).toBe('layers.BatchNormalization(momentum=0.99, epsilon=0.001, name="n1")');
    expect(dropout.keras!(params(dropout, { rate: 0.3 }), name)).toBe('layers.Dropout(0.3, name="n1")');
  });
});

describe('the chapter 4 DCGAN preset', () => {
  const doc = presetDocument('dcgan-mnist');
  const a = analyzeGraph(doc);
  const outShape = (id: string) => formatShape(a.shapes[id].out);

  it('is a valid GAN with the book\'s shapes on every layer', () => {
    expect(a.ok).toBe(true);
    expect(['g_dense', 'g_reshape', 'g_convt1', 'g_bn1', 'g_lrelu1', 'g_convt2', 'g_bn2', 'g_lrelu2', 'g_convt3'].map(outShape)).toEqual([
      '?×12544', '?×7×7×256', '?×14×14×128', '?×14×14×128', '?×14×14×128', '?×14×14×64', '?×14×14×64', '?×14×14×64', '?×28×28×1',
    ]);
    expect(['d_conv1', 'd_conv2', 'd_bn2', 'd_conv3', 'd_bn3', 'd_flatten', 'd_dense'].map(outShape)).toEqual([
      '?×14×14×32', '?×7×7×64', '?×7×7×64', '?×4×4×128', '?×4×4×128', '?×2048', '?×1',
    ]);
    expect(a.gan!.generator).toHaveLength(9);
    expect(a.gan!.discriminator).toHaveLength(10);
  });

  it('counts G 1,637,121 (1,636,737 trained + 384 moving statistics) and D 95,489 (95,105 + 384)', () => {
    expect(a.totals).toEqual({ generator: 1_636_737, discriminator: 95_105 });
    expect(a.nonTrainableTotals).toEqual({ generator: 384, discriminator: 384 });
    expect(a.nodeParams).toMatchObject({ g_dense: 1_266_944, g_convt1: 295_040, g_bn1: 256, g_convt2: 73_792, g_bn2: 128, g_convt3: 577 });
    expect(a.nodeParams).toMatchObject({ d_conv1: 320, d_conv2: 18_496, d_bn2: 128, d_conv3: 73_856, d_bn3: 256, d_dense: 2_049 });
    expect(a.nodeNonTrainable).toEqual({ g_bn1: 256, g_bn2: 128, d_bn2: 128, d_bn3: 256 });
  });

  it('a hand-built Conv2D → BatchNormalization → LeakyReLU on 28×28×1 gives ?×14×14×32', () => {
    const small: GraphDocument = {
      ...doc,
      nodes: [
        { id: 'img', type: 'ImageInput', params: defaultParams('ImageInput'), position: { x: 0, y: 0 } },
        { id: 'c', type: 'Conv2D', params: defaultParams('Conv2D'), position: { x: 0, y: 0 } },
        { id: 'bn', type: 'BatchNormalization', params: defaultParams('BatchNormalization'), position: { x: 0, y: 0 } },
        { id: 'lr', type: 'LeakyReLU', params: defaultParams('LeakyReLU'), position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'a', from: { node: 'img', socket: 'out' }, to: { node: 'c', socket: 'in' } },
        { id: 'b', from: { node: 'c', socket: 'out' }, to: { node: 'bn', socket: 'in' } },
        { id: 'c2', from: { node: 'bn', socket: 'out' }, to: { node: 'lr', socket: 'in' } },
      ],
    };
    const r = analyzeGraph(small);
    expect(formatShape(r.shapes.lr.out)).toBe('?×14×14×32');
    expect(formatShape(r.edgeShapes.c2)).toBe('?×14×14×32');
    expect(r.nodeParams.c).toBe(320);
    expect(r.nodeNonTrainable.bn).toBe(64);
  });
});

describe('the small DCGAN preset', () => {
  it('keeps the chapter 4 design: the same layers in the same order, only fewer filters', () => {
    const big = presetDocument('dcgan-mnist');
    const small = presetDocument('dcgan-small-mnist');
    expect(small.nodes.map((n) => `${n.id}:${n.type}`)).toEqual(big.nodes.map((n) => `${n.id}:${n.type}`));
    expect(small.edges).toEqual(big.edges);
    const a = analyzeGraph(small);
    expect(a.ok).toBe(true);
    expect(formatShape(a.shapes.g_convt3.out)).toBe('?×28×28×1');
    // Fewer filters in every convolution but G's last (one channel: the image).
    for (const n of small.nodes.filter((x) => x.type.startsWith('Conv') && x.id !== 'g_convt3')) {
      expect(n.params.filters as number, n.id).toBeLessThan(big.nodes.find((x) => x.id === n.id)!.params.filters as number);
    }
    expect(a.totals.generator + a.totals.discriminator).toBeLessThan((1_636_737 + 95_105) / 4);
  });
});

describe('the bundled presets', () => {
  it('every preset the menu and --preset offer is a valid, complete GAN', () => {
    for (const id of PRESET_IDS) expect(analyzeGraph(presetDocumentById(id)).ok, id).toBe(true);
    expect(PRESET_IDS).toEqual(['mnist-gan', 'dcgan-mnist', 'dcgan-small-mnist', 'cgan-mnist']);
  });
});

describe('the DCGAN\'s Keras export', () => {
  it('checks Keras\'s count of all weights (moving statistics included) and runs the frozen D\'s batch norm as the combiner says', () => {
    const script = exportKeras(presetDocument('dcgan-mnist'));
    expect(script).toContain('GANVAS_PARAMS = {"generator": 1637121, "discriminator": 95489}');
    expect(script).toContain('layers.Conv2DTranspose(128, kernel_size=3, strides=2, padding="same", name="g_convt1")');
    expect(script).toContain('layers.BatchNormalization(momentum=0.99, epsilon=0.001, name="d_bn2")');
    // The preset's combiner: the frozen D on the fake batch's statistics; Keras 3's own (moving statistics) on request.
    expect(script).toContain('discriminator(generator(z, training=True), training=True)');
    const keras3 = presetDocument('dcgan-mnist');
    keras3.nodes.find((n) => n.id === 'gan')!.params.frozenBatchNorm = 'moving';
    expect(exportKeras(keras3)).toContain('discriminator(generator(z, training=True), training=False)');
  });
});
