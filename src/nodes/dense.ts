import { shapeError, shapeOk, bool, formatShape, num, pyStr, str, type NodeDef, type Params, type Tfjs } from './types';
import type * as tf from '@tensorflow/tfjs';

/** The activations of Dense, Conv2D and Conv2DTranspose. */
export const ACTIVATIONS = ['none', 'tanh', 'sigmoid', 'relu'] as const;

/** The layers' activation in Keras's (and tfjs-layers') spelling. */
export const kerasActivation = (p: Params): string => (str(p, 'activation') === 'none' ? 'linear' : str(p, 'activation'));

/** The activation step those layers share. */
export function activate(tf: Tfjs, z: tf.Tensor, activation: string): tf.Tensor {
  switch (activation) {
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'relu':
      return tf.relu(z);
    default:
      return z;
  }
}

export const dense: NodeDef = {
  type: 'Dense',
  category: 'layer',
  title: { en: 'Dense', ko: 'Dense (완전 연결)' },
  summary: { en: 'Fully connected layer: every output sees every input.', ko: '완전 연결층: 모든 출력이 모든 입력을 봅니다.' },
  teach: {
    en: 'A Dense layer computes activation(x·W + b). W has inputs × units weights and b has units biases, so it owns inputs·units + units parameters. Like Keras, kernels start glorot-uniform and biases at zero. tanh on the generator\'s last layer keeps pixels in [-1, 1]; sigmoid on the discriminator\'s last layer turns its score into a "probability that the image is real".',
    ko: 'Dense 층은 activation(x·W + b)를 계산합니다. W는 입력 × 유닛 개의 가중치, b는 유닛 개의 편향이므로 파라미터는 입력·유닛 + 유닛 개입니다. Keras처럼 커널은 glorot-uniform으로, 편향은 0으로 시작합니다. 생성자 마지막 층의 tanh는 픽셀을 [-1, 1]에 두고, 판별자 마지막 층의 sigmoid는 점수를 "진짜일 확률"로 바꿉니다.',
  },
  inputs: [{ key: 'in', label: { en: 'in', ko: '입력' } }],
  outputs: [{ key: 'out', label: { en: 'out', ko: '출력' } }],
  messages: {
    'shape.denseNeedsFlat': { en: 'Dense needs a flat vector, but gets {shape}: put a Flatten before it.', ko: 'Dense에는 평평한 벡터가 필요한데 {shape}이(가) 들어옵니다. 앞에 Flatten을 넣으세요.' },
  },
  // tanh and sigmoid appear first as Dense activations in the book (G's output, D's probability).
  concepts: [
    {
      id: 'tanh',
      title: { en: 'Why tanh output, and pixels in [-1, 1]', ko: '출력에 tanh를 쓰는 이유와 [-1, 1] 범위의 픽셀' },
      short: {
        en: 'tanh squeezes G’s output into [-1, 1]; real images are scaled the same way (x / 127.5 − 1).',
        ko: 'tanh는 G의 출력을 [-1, 1]로 눌러 줍니다. 진짜 이미지도 같은 방식(x / 127.5 − 1)으로 바꿉니다.',
      },
      body: {
        en: 'D must not be able to tell real from fake by their value range alone, so both live in the same range. The book rescales MNIST pixels from 0…255 to [-1, 1] with x / 127.5 − 1, and ends G with tanh, whose outputs lie in (-1, 1) and which is centred on zero with a steep slope near 0 (it trains more easily than sigmoid there). For display the grid maps back with 0.5·x + 0.5.',
        ko: 'D가 값의 범위만 보고 진짜와 가짜를 가려내면 안 되므로 둘은 같은 범위에 있어야 합니다. 책은 MNIST 픽셀을 0…255에서 x / 127.5 − 1로 [-1, 1]에 옮기고, G의 끝에 tanh를 둡니다. tanh의 출력은 (-1, 1)이고 0을 중심으로 0 근처의 기울기가 가팔라서 그곳에서는 sigmoid보다 잘 학습됩니다. 화면에 그릴 때는 0.5·x + 0.5로 되돌립니다.',
      },
    },
    {
      id: 'sigmoid',
      title: { en: 'Sigmoid: the probability that an image is real', ko: 'sigmoid: 이미지가 진짜일 확률' },
      short: {
        en: 'D’s last Dense ends in sigmoid: one number in (0, 1), read as “probability real”.',
        ko: 'D의 마지막 Dense는 sigmoid로 끝납니다. (0, 1) 사이의 숫자 하나를 "진짜일 확률"로 읽습니다.',
      },
      body: {
        en: 'The discriminator is a binary classifier. Its last layer, Dense(1), produces one unbounded score per image; sigmoid(s) = 1 / (1 + e^(−s)) turns it into a number between 0 and 1, read as the probability that the image is real. Real images get the label 1, fakes the label 0, and accuracy counts how often D lands on the right side of 0.5.',
        ko: '판별자는 이진 분류기입니다. 마지막 층 Dense(1)은 이미지마다 범위가 없는 점수 하나를 내고, sigmoid(s) = 1 / (1 + e^(−s))가 이를 0과 1 사이의 수로 바꿔 이미지가 진짜일 확률로 읽습니다. 진짜 이미지의 레이블은 1, 가짜는 0이며, 정확도는 D가 0.5를 기준으로 맞는 쪽에 선 비율입니다.',
      },
    },
  ],
  tooltip: (p) => (str(p, 'activation') === 'tanh' ? ['tanh'] : str(p, 'activation') === 'sigmoid' ? ['sigmoid'] : []),
  paramTooltips: { activation: ['tanh', 'sigmoid'] },
  params: [
    { key: 'units', kind: 'int', label: { en: 'Units', ko: '유닛 수' }, default: 128, min: 1, max: 65536 },
    { key: 'activation', kind: 'enum', label: { en: 'Activation', ko: '활성화 함수' }, default: 'none', options: ACTIVATIONS },
    { key: 'useBias', kind: 'bool', label: { en: 'Bias', ko: '편향' }, default: true },
  ],
  inferShape(inputs, p) {
    const x = inputs.in;
    if (x.length !== 2) return shapeError('shape.denseNeedsFlat', { shape: formatShape(x) }, 'in');
    return shapeOk({ out: [x[0], num(p, 'units')] });
  },
  paramCount(inputs, p) {
    const fanIn = inputs.in[inputs.in.length - 1] ?? 0;
    const units = num(p, 'units');
    return fanIn * units + (bool(p, 'useBias') ? units : 0);
  },
  build: (p, ctx) =>
    ctx.tf.layers.dense({
      name: ctx.name,
      units: num(p, 'units'),
      activation: kerasActivation(p) as 'linear',
      useBias: bool(p, 'useBias'),
      // Keras's Dense default; tfjs's own default is glorotNormal.
      kernelInitializer: ctx.tf.initializers.glorotUniform({ seed: ctx.seed }),
      biasInitializer: 'zeros',
    }),
  forward({ in: x }, [kernel, bias], p, { tf }) {
    // matMul + add rather than tf.fused.matMul: the tape then computes only the input gradients someone needs.
    return activate(tf, bias ? tf.add(tf.matMul(x, kernel), bias) : tf.matMul(x, kernel), str(p, 'activation'));
  },
  keras(p, { name }) {
    const activation = str(p, 'activation');
    const args = [String(num(p, 'units'))];
    if (activation !== 'none') args.push(`activation="${activation}"`);
    if (!bool(p, 'useBias')) args.push('use_bias=False');
    return `layers.Dense(${[...args, `name=${pyStr(name)}`].join(', ')})`;
  },
};
