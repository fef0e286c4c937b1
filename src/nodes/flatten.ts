import { shapeOk, pyStr, sizeOf, type NodeDef } from './types';

export const flatten: NodeDef = {
  type: 'Flatten',
  category: 'layer',
  title: { en: 'Flatten', ko: 'Flatten (펼치기)' },
  summary: { en: 'Unrolls an image into one long vector: 28×28×1 → 784.', ko: '이미지를 긴 벡터 하나로 펼칩니다: 28×28×1 → 784.' },
  teach: {
    en: 'A Dense layer reads a flat vector, so the discriminator first unrolls each 28×28×1 image into 784 numbers. Nothing is learned here: Flatten has no parameters.',
    ko: 'Dense 층은 평평한 벡터를 읽으므로, 판별자는 먼저 28×28×1 이미지를 784개의 수로 펼칩니다. 여기서는 아무것도 학습하지 않으며 파라미터가 없습니다.',
  },
  inputs: [{ key: 'in', label: { en: 'in', ko: '입력' } }],
  outputs: [{ key: 'out', label: { en: 'out', ko: '출력' } }],
  messages: {},
  params: [],
  inferShape: (inputs) => shapeOk({ out: [inputs.in[0], sizeOf(inputs.in.slice(1))] }),
  paramCount: () => 0,
  // tfjs's Flatten layer needs rank ≥ 3; on an already flat vector Keras's is a no-op, so build the equivalent reshape.
  build: (_p, ctx) =>
    ctx.inputShape.length > 2 ? ctx.tf.layers.flatten({ name: ctx.name }) : ctx.tf.layers.reshape({ name: ctx.name, targetShape: [sizeOf(ctx.inputShape.slice(1))] }),
  forward: ({ in: x }, _w, _p, { tf }) => tf.reshape(x, [x.shape[0], sizeOf(x.shape.slice(1))]),
  keras: (_p, { name }) => `layers.Flatten(name=${pyStr(name)})`,
};
