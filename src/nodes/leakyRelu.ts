import { shapeOk, num, pyFloat, pyStr, type NodeDef } from './types';

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
  messages: {},
  concepts: [
    {
      id: 'leakyRelu',
      title: { en: 'Why LeakyReLU keeps gradients alive', ko: 'LeakyReLU가 기울기를 살려 두는 이유' },
      short: {
        en: 'LeakyReLU passes α·x for negative x, so the gradient is never exactly zero and G keeps learning.',
        ko: 'LeakyReLU는 음수 x에 α·x를 내보내므로 기울기가 0이 되지 않아 G가 계속 배웁니다.',
      },
      body: {
        en: 'ReLU sets every negative input to 0, and its slope there is 0: no gradient flows back through that unit. In a GAN the generator learns only from gradients that travel back through the discriminator, so dead units in D starve G. LeakyReLU outputs α·x for negative x (α = 0.01 in the book): the slope is small but never zero, so some signal always reaches G. It has no weights of its own.',
        ko: 'ReLU는 음수 입력을 모두 0으로 만들고 그 구간의 기울기도 0이라서, 그 유닛으로는 기울기가 거꾸로 흐르지 않습니다. GAN에서 생성자는 판별자를 거쳐 되돌아오는 기울기로만 배우므로, D의 죽은 유닛은 G를 굶깁니다. LeakyReLU는 음수 x에 α·x를 내보냅니다(책에서는 α = 0.01). 기울기가 작아도 0은 아니므로 신호가 언제나 G까지 닿습니다. 자신의 가중치는 없습니다.',
      },
    },
  ],
  tooltip: () => ['leakyRelu'],
  paramTooltips: { alpha: ['leakyRelu'] },
  params: [{ key: 'alpha', kind: 'float', label: { en: 'α (negative slope)', ko: 'α (음수 기울기)' }, default: 0.01, min: 0, max: 1 }],
  inferShape: (inputs) => shapeOk({ out: [...inputs.in] }),
  paramCount: () => 0,
  build: (p, ctx) => ctx.tf.layers.leakyReLU({ name: ctx.name, alpha: num(p, 'alpha') }),
  forward: ({ in: x }, _w, p, { tf }) => tf.leakyRelu(x, num(p, 'alpha')),
  // Keras 3 renamed LeakyReLU's `alpha` to `negative_slope` (its default is 0.3, not the book's 0.01).
  keras: (p, { name }) => `layers.LeakyReLU(negative_slope=${pyFloat(num(p, 'alpha'))}, name=${pyStr(name)})`,
};
