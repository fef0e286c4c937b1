import { shapeError, shapeOk, bool, num, str, type NodeDef } from './types';

export const DENSE_ACTIVATIONS = ['none', 'tanh', 'sigmoid', 'relu'] as const;

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
  params: [
    { key: 'units', kind: 'int', label: { en: 'Units', ko: '유닛 수' }, default: 128, min: 1, max: 8192 },
    { key: 'activation', kind: 'enum', label: { en: 'Activation', ko: '활성화 함수' }, default: 'none', options: DENSE_ACTIVATIONS },
    { key: 'useBias', kind: 'bool', label: { en: 'Bias', ko: '편향' }, default: true },
  ],
  inferShape(inputs, p) {
    const x = inputs.in;
    if (x.length !== 2) return shapeError('shape.denseNeedsFlat', { shape: x.map((d) => d ?? '?').join('×') }, 'in');
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
      activation: str(p, 'activation') === 'none' ? 'linear' : (str(p, 'activation') as 'tanh' | 'sigmoid' | 'relu'),
      useBias: bool(p, 'useBias'),
      // Keras's Dense default; tfjs's own default is glorotNormal.
      kernelInitializer: ctx.tf.initializers.glorotUniform({ seed: ctx.seed }),
      biasInitializer: 'zeros',
    }),
  forward(tf, x, [kernel, bias], p) {
    // matMul + add rather than tf.fused.matMul: the tape then computes only the input gradients someone needs.
    const z = bias ? tf.add(tf.matMul(x, kernel), bias) : tf.matMul(x, kernel);
    switch (str(p, 'activation')) {
      case 'tanh':
        return tf.tanh(z);
      case 'sigmoid':
        return tf.sigmoid(z);
      case 'relu':
        return tf.relu(z);
      default:
        return z;
    }
  },
};
