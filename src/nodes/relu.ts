import { shapeOk, pyStr, type NodeDef } from './types';

export const relu: NodeDef = {
  type: 'ReLU',
  category: 'layer',
  title: { en: 'ReLU', ko: 'ReLU' },
  summary: { en: 'max(x, 0): passes positive values, sets negative ones to zero.', ko: 'max(x, 0): 양수는 그대로, 음수는 0으로 만듭니다.' },
  teach: {
    en: 'ReLU (rectified linear unit) outputs x where x is positive and 0 elsewhere. It is cheap and keeps gradients at full strength for positive inputs, which is why most deep networks use it. Its weakness is the flat half: a unit that only ever sees negative inputs passes no gradient and stops learning ("dies"). GANs therefore prefer LeakyReLU in the discriminator, whose gradients are all the generator learns from. It works on any shape and has no parameters.',
    ko: 'ReLU(정류 선형 유닛)는 x가 양수면 x를, 아니면 0을 냅니다. 계산이 싸고 양수 입력에는 기울기를 그대로 전하므로 대부분의 깊은 신경망이 씁니다. 약점은 평평한 절반입니다. 음수 입력만 보는 유닛은 기울기를 전하지 못해 학습을 멈춥니다("죽습니다"). 생성자는 판별자의 기울기로만 배우므로 GAN은 판별자에 LeakyReLU를 더 즐겨 씁니다. 어떤 모양에도 쓸 수 있고 파라미터는 없습니다.',
  },
  inputs: [{ key: 'in', label: { en: 'in', ko: '입력' } }],
  outputs: [{ key: 'out', label: { en: 'out', ko: '출력' } }],
  params: [],
  messages: {},
  // Why the book picks LeakyReLU over ReLU.
  tooltip: () => ['leakyRelu'],
  inferShape: (inputs) => shapeOk({ out: [...inputs.in] }),
  paramCount: () => 0,
  build: (_p, ctx) => ctx.tf.layers.reLU({ name: ctx.name }),
  forward: ({ in: x }, _w, _p, { tf }) => tf.relu(x),
  keras: (_p, { name }) => `layers.ReLU(name=${pyStr(name)})`,
};
