import { shapeOk, pyStr, type NodeDef } from './types';

export const tanh: NodeDef = {
  type: 'Tanh',
  category: 'layer',
  title: { en: 'Tanh', ko: 'Tanh' },
  summary: { en: 'tanh(x): squeezes every value into (-1, 1); ends a generator whose pixels live in [-1, 1].', ko: 'tanh(x): 모든 값을 (-1, 1)로 누릅니다. 픽셀이 [-1, 1]에 있는 생성자의 끝에 둡니다.' },
  teach: {
    en: 'tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ) maps any number into (-1, 1), centred on zero and steepest near 0. The book ends the generator with tanh because real images are scaled to [-1, 1] (x / 127.5 − 1): fakes and real images then share one range. As a node of its own it can follow any layer — a Conv2DTranspose, say — exactly like Keras\'s Activation("tanh"). It works on any shape and has no parameters.',
    ko: 'tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)는 어떤 수든 (-1, 1)로 옮기며, 0을 중심으로 0 근처에서 가장 가파릅니다. 진짜 이미지를 [-1, 1]로 바꾸므로(x / 127.5 − 1) 책은 생성자를 tanh로 끝냅니다. 그러면 가짜와 진짜가 같은 범위에 놓입니다. 독립된 노드라서 어떤 층 뒤에도(예: Conv2DTranspose) 놓을 수 있으며, Keras의 Activation("tanh")과 같습니다. 어떤 모양에도 쓸 수 있고 파라미터는 없습니다.',
  },
  inputs: [{ key: 'in', label: { en: 'in', ko: '입력' } }],
  outputs: [{ key: 'out', label: { en: 'out', ko: '출력' } }],
  params: [],
  messages: {},
  tooltip: () => ['tanh'],
  inferShape: (inputs) => shapeOk({ out: [...inputs.in] }),
  paramCount: () => 0,
  build: (_p, ctx) => ctx.tf.layers.activation({ name: ctx.name, activation: 'tanh' }),
  forward: ({ in: x }, _w, _p, { tf }) => tf.tanh(x),
  keras: (_p, { name }) => `layers.Activation("tanh", name=${pyStr(name)})`,
};
