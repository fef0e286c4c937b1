import { formatShape, shapeError, shapeOk, bool, num, pyStr, str, type BuildContext, type NodeDef, type Params, type Shape } from './types';
import type * as tf from '@tensorflow/tfjs';
import { ACTIVATIONS, activate, kerasActivation } from './dense';

export const CONV_PADDINGS = ['same', 'valid'] as const;

/** Keras's conv_output_length (dilation 1): 'same' keeps ceil(in / stride), 'valid' drops the border first. */
export function convOutputSize(size: number, kernel: number, stride: number, padding: string): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - kernel + 1) / stride);
}

/** Keras's deconv_output_length (no output_padding, dilation 1): 'same' gives in·stride, 'valid' adds max(kernel − stride, 0). */
export function convTransposeOutputSize(size: number, kernel: number, stride: number, padding: string): number {
  return size * stride + (padding === 'valid' ? Math.max(kernel - stride, 0) : 0);
}

/** The Keras arguments both convolutions share, in Keras's spelling. */
export function kerasConvArgs(p: Params, name: string): string {
  const args = [String(num(p, 'filters')), `kernel_size=${num(p, 'kernelSize')}`, `strides=${num(p, 'strides')}`, `padding="${str(p, 'padding')}"`];
  if (str(p, 'activation') !== 'none') args.push(`activation="${str(p, 'activation')}"`);
  if (!bool(p, 'useBias')) args.push('use_bias=False');
  return [...args, `name=${pyStr(name)}`].join(', ');
}

const NEEDS_IMAGE = {
  en: '{type} needs an image-shaped input (height×width×channels), but gets {shape}: put a Reshape before it.',
  ko: '{type}에는 이미지 모양(높이×너비×채널)의 입력이 필요한데 {shape}이(가) 들어옵니다. 앞에 Reshape를 넣으세요.',
};
/** Conv2DTranspose's copy of the message (each node declares its own codes). */
export const CONV_TRANSPOSE_NEEDS_IMAGE = NEEDS_IMAGE;

/** Conv2D's messages. */
export const CONV_MESSAGES: NodeDef['messages'] = {
  'shape.convNeedsImage': NEEDS_IMAGE,
  'shape.convKernelTooBig': {
    en: 'A {kernel}×{kernel} kernel with "valid" padding does not fit in {shape}: use "same" padding or a smaller kernel.',
    ko: '"valid" 패딩에서 {kernel}×{kernel} 커널은 {shape}에 들어가지 않습니다. "same" 패딩이나 더 작은 커널을 쓰세요.',
  },
};

/** The parameters both convolutions share. */
export const convParams = (defaultFilters: number): NodeDef['params'] => [
  { key: 'filters', kind: 'int', label: { en: 'Filters', ko: '필터 수' }, default: defaultFilters, min: 1, max: 2048 },
  { key: 'kernelSize', kind: 'int', label: { en: 'Kernel size', ko: '커널 크기' }, default: 3, min: 1, max: 15 },
  { key: 'strides', kind: 'int', label: { en: 'Stride', ko: '스트라이드' }, default: 2, min: 1, max: 8 },
  { key: 'padding', kind: 'enum', label: { en: 'Padding', ko: '패딩' }, default: 'same', options: CONV_PADDINGS },
  { key: 'activation', kind: 'enum', label: { en: 'Activation', ko: '활성화 함수' }, default: 'none', options: ACTIVATIONS },
  { key: 'useBias', kind: 'bool', label: { en: 'Bias', ko: '편향' }, default: true },
];

/** Checks that a convolution reads an image (batch×height×width×channels); `code` is the node's own message. */
export function needsImage(code: string, type: string, x: Shape): ReturnType<NodeDef['inferShape']> | null {
  return x.length === 4 ? null : shapeError(code, { type, shape: formatShape(x) }, 'in');
}



/** k·k·channels·filters kernel weights plus one bias per filter: Conv2D and Conv2DTranspose alike. */
export function convParamCount(inputs: Record<string, Shape>, p: Params): number {
  const channels = inputs.in[3] ?? 0;
  const k = num(p, 'kernelSize');
  const filters = num(p, 'filters');
  return k * k * channels * filters + (bool(p, 'useBias') ? filters : 0);
}

/** The tfjs layer arguments both convolutions take; kernels glorot-uniform and biases zero, as in Keras. */
export const convLayerArgs = (p: Params, ctx: BuildContext) => ({
  name: ctx.name,
  filters: num(p, 'filters'),
  kernelSize: num(p, 'kernelSize'),
  strides: num(p, 'strides'),
  padding: str(p, 'padding') as 'same' | 'valid',
  activation: kerasActivation(p) as 'linear',
  useBias: bool(p, 'useBias'),
  kernelInitializer: ctx.tf.initializers.glorotUniform({ seed: ctx.seed }),
  biasInitializer: 'zeros' as const,
});

export const conv2d: NodeDef = {
  type: 'Conv2D',
  category: 'layer',
  title: { en: 'Conv2D', ko: 'Conv2D (합성곱)' },
  summary: { en: 'Slides small learned filters over an image: sees local patterns, a stride of 2 halves the size.', ko: '학습된 작은 필터를 이미지 위로 밀며 지역 패턴을 봅니다. 스트라이드 2는 크기를 반으로 줄입니다.' },
  teach: {
    en: 'A convolution looks at each k×k patch of its input (all channels together) and computes one number per filter: the same small weights slide over the whole image, so the layer owns only k·k·channels·filters + filters parameters, however big the image is. Stride 2 moves the window two pixels at a time, halving height and width — the DCGAN discriminator uses this instead of pooling: 28×28 → 14×14 → 7×7 → 4×4. With "same" padding the output is ceil(input / stride) (Keras pads the border with zeros); with "valid" no padding is added and the output is ceil((input − k + 1) / stride). Kernels start glorot-uniform and biases at zero, as in Keras.',
    ko: '합성곱은 입력의 k×k 조각(모든 채널을 함께)마다 필터 하나당 수 하나를 계산합니다. 같은 작은 가중치가 이미지 전체를 미끄러지므로, 이미지가 아무리 커도 이 층의 파라미터는 k·k·채널·필터 + 필터 개뿐입니다. 스트라이드 2는 창을 두 픽셀씩 옮겨 높이와 너비를 반으로 줄입니다. DCGAN 판별자는 풀링 대신 이것을 씁니다: 28×28 → 14×14 → 7×7 → 4×4. "same" 패딩이면 출력은 ceil(입력 / 스트라이드)이고(Keras는 테두리를 0으로 채웁니다), "valid"면 패딩 없이 ceil((입력 − k + 1) / 스트라이드)입니다. Keras처럼 커널은 glorot-uniform, 편향은 0으로 시작합니다.',
  },
  inputs: [{ key: 'in', label: { en: 'in', ko: '입력' } }],
  outputs: [{ key: 'out', label: { en: 'out', ko: '출력' } }],
  messages: CONV_MESSAGES,
  params: convParams(32),
  inferShape(inputs, p) {
    const x = inputs.in;
    const bad = needsImage('shape.convNeedsImage', 'Conv2D', x);
    if (bad) return bad;
    const k = num(p, 'kernelSize');
    const s = num(p, 'strides');
    const pad = str(p, 'padding');
    const [h, w] = [x[1] ?? 0, x[2] ?? 0];
    if (pad === 'valid' && (h < k || w < k)) return shapeError('shape.convKernelTooBig', { shape: formatShape(x), kernel: k }, 'in');
    return shapeOk({ out: [x[0], convOutputSize(h, k, s, pad), convOutputSize(w, k, s, pad), num(p, 'filters')] });
  },
  paramCount: convParamCount,
  build: (p, ctx) => ctx.tf.layers.conv2d(convLayerArgs(p, ctx)),
  forward({ in: x }, [kernel, bias], p, { tf }) {
    const s = num(p, 'strides');
    const y = tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, [s, s], str(p, 'padding') as 'same' | 'valid');
    return activate(tf, bias ? tf.add(y, bias) : y, str(p, 'activation'));
  },
  keras: (p, { name }) => `layers.Conv2D(${kerasConvArgs(p, name)})`,
};
