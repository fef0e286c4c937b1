import { formatShape, shapeError, shapeOk, bool, num, str, type NodeDef } from './types';
import type * as tf from '@tensorflow/tfjs';
import { CONV_TRANSPOSE_NEEDS_IMAGE, convLayerArgs, convParamCount, convParams, convTransposeOutputSize, kerasConvArgs, needsImage } from './conv2d';
import { activate } from './dense';

export const conv2dTranspose: NodeDef = {
  type: 'Conv2DTranspose',
  category: 'layer',
  title: { en: 'Conv2DTranspose', ko: 'Conv2DTranspose (전치 합성곱)' },
  summary: { en: 'A convolution run backwards: each input pixel paints a learned k×k patch; stride 2 doubles the size.', ko: '거꾸로 돌린 합성곱: 입력 픽셀마다 학습된 k×k 조각을 그립니다. 스트라이드 2는 크기를 두 배로 키웁니다.' },
  teach: {
    en: 'The DCGAN generator grows images with transposed convolutions: every input pixel multiplies a learned k×k×filters stamp, and stamps of neighbouring pixels, placed stride pixels apart, overlap and add up. With stride 2 and "same" padding the output is exactly twice as tall and wide (7×7 → 14×14 → 28×28); with "valid" it is input·stride + max(k − stride, 0). It owns k·k·input channels·filters + filters parameters, glorot-uniform kernels and zero biases as in Keras.',
    ko: 'DCGAN 생성자는 전치 합성곱으로 이미지를 키웁니다. 입력 픽셀마다 학습된 k×k×필터 도장을 곱해 찍고, 스트라이드만큼 떨어져 찍힌 이웃 픽셀의 도장들이 겹쳐 더해집니다. 스트라이드 2와 "same" 패딩이면 출력의 높이와 너비가 정확히 두 배가 되고(7×7 → 14×14 → 28×28), "valid"면 입력·스트라이드 + max(k − 스트라이드, 0)입니다. 파라미터는 k·k·입력 채널·필터 + 필터 개이며, Keras처럼 커널은 glorot-uniform, 편향은 0으로 시작합니다.',
  },
  inputs: [{ key: 'in', label: { en: 'in', ko: '입력' } }],
  outputs: [{ key: 'out', label: { en: 'out', ko: '출력' } }],
  messages: {
    'shape.convTransposeNeedsImage': CONV_TRANSPOSE_NEEDS_IMAGE,
    'shape.convTooLarge': {
      en: 'This would make {shape} images, larger than 4096 pixels a side: use a smaller stride or kernel.',
      ko: '{shape} 이미지가 되어 한 변이 4096 픽셀을 넘습니다. 스트라이드나 커널을 줄이세요.',
    },
  },
  params: convParams(64),
  inferShape(inputs, p) {
    const x = inputs.in;
    const bad = needsImage('shape.convTransposeNeedsImage', 'Conv2DTranspose', x);
    if (bad) return bad;
    const k = num(p, 'kernelSize');
    const s = num(p, 'strides');
    const pad = str(p, 'padding');
    const [h, w] = [x[1] ?? 0, x[2] ?? 0];
    const out = [convTransposeOutputSize(h, k, s, pad), convTransposeOutputSize(w, k, s, pad)];
    if (out[0] > 4096 || out[1] > 4096) return shapeError('shape.convTooLarge', { shape: formatShape([x[0], ...out, num(p, 'filters')]) }, 'in');
    return shapeOk({ out: [x[0], out[0], out[1], num(p, 'filters')] });
  },
  paramCount: convParamCount,
  build: (p, ctx) => ctx.tf.layers.conv2dTranspose(convLayerArgs(p, ctx)),
  forward({ in: x }, [kernel, bias], p, { tf }) {
    const k = num(p, 'kernelSize');
    const s = num(p, 'strides');
    const pad = str(p, 'padding');
    const [n, h, w] = x.shape as number[];
    // The kernel is [k, k, filters, input channels], as in Keras and tfjs-layers.
    const outShape: [number, number, number, number] = [n, convTransposeOutputSize(h, k, s, pad), convTransposeOutputSize(w, k, s, pad), kernel.shape[2]!];
    const y = tf.conv2dTranspose(x as tf.Tensor4D, kernel as tf.Tensor4D, outShape, [s, s], pad as 'same' | 'valid');
    return activate(tf, bias ? tf.add(y, bias) : y, str(p, 'activation'));
  },
  keras: (p, { name }) => `layers.Conv2DTranspose(${kerasConvArgs(p, name)})`,
};
