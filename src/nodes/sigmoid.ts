import { shapeOk, pyStr, type NodeDef } from './types';

export const sigmoid: NodeDef = {
  type: 'Sigmoid',
  category: 'layer',
  title: { en: 'Sigmoid', ko: 'Sigmoid' },
  summary: { en: '1 / (1 + e⁻ˣ): turns a score into a number in (0, 1), read as a probability.', ko: '1 / (1 + e⁻ˣ): 점수를 (0, 1) 사이의 수로 바꿔 확률로 읽습니다.' },
  teach: {
    en: 'sigmoid(x) = 1 / (1 + e⁻ˣ) maps any score into (0, 1). At the end of the discriminator it turns D\'s single score per image into the probability that the image is real, which is what the binary cross-entropy loss expects (?×1). As a node of its own it can follow any layer — a Dense 1 without activation, say — exactly like Keras\'s Activation("sigmoid"). It works on any shape and has no parameters.',
    ko: 'sigmoid(x) = 1 / (1 + e⁻ˣ)는 어떤 점수든 (0, 1)로 옮깁니다. 판별자의 끝에서 이미지마다 하나인 D의 점수를 이미지가 진짜일 확률로 바꾸며, 이진 교차 엔트로피 손실이 기대하는 것(?×1)이 바로 이것입니다. 독립된 노드라서 어떤 층 뒤에도(예: 활성화 없는 Dense 1) 놓을 수 있으며, Keras의 Activation("sigmoid")과 같습니다. 어떤 모양에도 쓸 수 있고 파라미터는 없습니다.',
  },
  inputs: [{ key: 'in', label: { en: 'in', ko: '입력' } }],
  outputs: [{ key: 'out', label: { en: 'out', ko: '출력' } }],
  params: [],
  messages: {},
  tooltip: () => ['sigmoid'],
  inferShape: (inputs) => shapeOk({ out: [...inputs.in] }),
  paramCount: () => 0,
  build: (_p, ctx) => ctx.tf.layers.activation({ name: ctx.name, activation: 'sigmoid' }),
  forward: ({ in: x }, _w, _p, { tf }) => tf.sigmoid(x),
  keras: (_p, { name }) => `layers.Activation("sigmoid", name=${pyStr(name)})`,
};
