import { formatShape, shapeError, shapeOk, dims, pyStr, pyTuple, sizeOf, type NodeDef } from './types';

export const reshape: NodeDef = {
  type: 'Reshape',
  category: 'layer',
  title: { en: 'Reshape', ko: 'Reshape (모양 바꾸기)' },
  summary: { en: 'Same numbers, new shape: e.g. 784 → 28×28×1.', ko: '같은 숫자, 새 모양: 예) 784 → 28×28×1.' },
  teach: {
    en: 'Reshape rearranges values without changing them. The generator\'s last Dense layer outputs 784 = 28·28·1 numbers; Reshape turns them into a 28×28 image with one channel. The element counts must match exactly. It has no parameters.',
    ko: 'Reshape는 값을 바꾸지 않고 배열만 다시 합니다. 생성자의 마지막 Dense 층은 784 = 28·28·1개의 수를 내고, Reshape가 이것을 채널 하나짜리 28×28 이미지로 바꿉니다. 원소 개수가 정확히 같아야 합니다. 파라미터는 없습니다.',
  },
  inputs: [{ key: 'in', label: { en: 'in', ko: '입력' } }],
  outputs: [{ key: 'out', label: { en: 'out', ko: '출력' } }],
  messages: {
    'shape.reshapeCount': { en: 'Cannot reshape {from} ({have} values) into {to} ({want} values): the counts must match.', ko: '{from}({have}개 값)을(를) {to}({want}개 값)로 바꿀 수 없습니다. 개수가 같아야 합니다.' },
  },
  params: [{ key: 'targetShape', kind: 'shape', label: { en: 'Target shape', ko: '목표 모양' }, default: [28, 28, 1], minRank: 1, maxRank: 4, maxDim: 65536 }],
  inferShape(inputs, p) {
    const target = dims(p, 'targetShape');
    const have = sizeOf(inputs.in.slice(1));
    const want = sizeOf(target);
    if (have !== want) return shapeError('shape.reshapeCount', { from: formatShape(inputs.in), to: target.join('×'), have, want }, 'in');
    return shapeOk({ out: [inputs.in[0], ...target] });
  },
  paramCount: () => 0,
  build: (p, ctx) => ctx.tf.layers.reshape({ name: ctx.name, targetShape: dims(p, 'targetShape') }),
  forward: ({ in: x }, _w, p, { tf }) => tf.reshape(x, [x.shape[0], ...dims(p, 'targetShape')]),
  keras: (p, { name }) => `layers.Reshape(${pyTuple(dims(p, 'targetShape'))}, name=${pyStr(name)})`,
};
