import { shapeOk, num, type NodeDef } from './types';

export const leakyRelu: NodeDef = {
  type: 'LeakyReLU',
  category: 'layer',
  title: { en: 'LeakyReLU', ko: 'LeakyReLU' },
  summary: { en: 'max(x, αx): like ReLU, but negative inputs keep a small slope.', ko: 'max(x, αx): ReLU와 비슷하지만 음수 입력에도 작은 기울기가 남습니다.' },
  teach: {
    en: 'ReLU outputs zero for every negative input, and its gradient there is zero too: a unit that only sees negatives stops learning ("dies"). LeakyReLU lets a small fraction α of negative values through (the book uses α = 0.01), so gradients keep flowing back to the generator even when the discriminator is confident. It has no parameters.',
    ko: 'ReLU는 음수 입력에 0을 내고 그 기울기도 0이라서, 음수만 보는 유닛은 학습을 멈춥니다("죽습니다"). LeakyReLU는 음수의 작은 비율 α만 통과시켜(책에서는 α = 0.01) 판별자가 확신할 때도 기울기가 생성자까지 계속 흐르게 합니다. 파라미터는 없습니다.',
  },
  inputs: [{ key: 'in', label: { en: 'in', ko: '입력' } }],
  outputs: [{ key: 'out', label: { en: 'out', ko: '출력' } }],
  params: [{ key: 'alpha', kind: 'float', label: { en: 'α (negative slope)', ko: 'α (음수 기울기)' }, default: 0.01, min: 0, max: 1 }],
  inferShape: (inputs) => shapeOk({ out: [...inputs.in] }),
  paramCount: () => 0,
  build: (p, ctx) => ctx.tf.layers.leakyReLU({ name: ctx.name, alpha: num(p, 'alpha') }),
  forward: (tf, x, _w, p) => tf.leakyRelu(x, num(p, 'alpha')),
};
