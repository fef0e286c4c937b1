import { formatShape, shapeError, shapeOk, num, pyStr, type NodeDef, type Shape } from './types';

/** The axis as a positive index into a shape of `rank` (batch included), or undefined when it names no feature axis. */
const featureAxis = (axis: number, rank: number): number | undefined => {
  const i = axis < 0 ? rank + axis : axis;
  return i >= 1 && i < rank ? i : undefined;
};

export const concatenate: NodeDef = {
  type: 'Concatenate',
  category: 'layer',
  title: { en: 'Concatenate', ko: 'Concatenate (이어 붙이기)' },
  summary: { en: 'Joins two branches side by side along one axis: ?×128 and ?×64 make ?×192.', ko: '두 갈래를 한 축을 따라 나란히 붙입니다: ?×128과 ?×64는 ?×192가 됩니다.' },
  teach: {
    en: 'Concatenate joins two branches by placing b after a along one axis, keeping every value of both. The default axis −1 is the last one: features for flat vectors, channels for images (?×14×14×64 and ?×14×14×32 give ?×14×14×96). All other sizes must agree. Unlike Add, the branches may differ in size along the axis, and the next layer sees both side by side. This is how a conditional GAN later joins an image with its label. It has no parameters.',
    ko: 'Concatenate는 한 축을 따라 a 뒤에 b를 놓아 두 갈래를 합치며, 두 입력의 값을 모두 지닙니다. 기본 축 −1은 마지막 축으로, 평평한 벡터에서는 특성, 이미지에서는 채널입니다(?×14×14×64와 ?×14×14×32는 ?×14×14×96). 나머지 크기는 모두 같아야 합니다. Add와 달리 두 갈래는 그 축의 크기가 달라도 되고, 다음 층은 둘을 나란히 봅니다. 나중에 조건부 GAN이 이미지와 레이블을 합칠 때도 이렇게 합니다. 파라미터는 없습니다.',
  },
  inputs: [
    { key: 'a', label: { en: 'a', ko: '입력 a' } },
    { key: 'b', label: { en: 'b', ko: '입력 b' } },
  ],
  outputs: [{ key: 'out', label: { en: 'a ‖ b', ko: 'a ‖ b' } }],
  params: [
    {
      key: 'axis',
      kind: 'int',
      label: { en: 'Axis', ko: '축' },
      help: { en: '−1 is the last axis (features or channels); 1 is the first after the batch.', ko: '−1은 마지막 축(특성 또는 채널), 1은 배치 다음의 첫 축입니다.' },
      default: -1,
      min: -4,
      max: 4,
    },
  ],
  messages: {
    'shape.concatRank': {
      en: 'Concatenate needs inputs of the same rank, but a is {a} and b is {b}: put a Flatten or Reshape on one branch.',
      ko: 'Concatenate에는 차원 수가 같은 입력이 필요한데 a는 {a}, b는 {b}입니다. 한 갈래에 Flatten이나 Reshape를 넣으세요.',
    },
    'shape.concatAxis': {
      en: 'Concatenate cannot join along axis {axis} of {shape}: choose 1 to {last}, or −1 for the last axis (axis 0 is the batch).',
      ko: 'Concatenate는 {shape}의 축 {axis}를 따라 합칠 수 없습니다. 1부터 {last}까지, 또는 마지막 축인 −1을 고르세요(축 0은 배치입니다).',
    },
    'shape.concatMismatch': {
      en: 'Concatenate along axis {axis} needs every other size to match, but a is {a} and b is {b}.',
      ko: '축 {axis}를 따라 합치려면 나머지 크기가 모두 같아야 하는데 a는 {a}, b는 {b}입니다.',
    },
  },
  inferShape({ a, b }, p) {
    const args = { a: formatShape(a), b: formatShape(b) };
    if (a.length !== b.length) return shapeError('shape.concatRank', args, 'b');
    const axis = num(p, 'axis');
    const i = featureAxis(axis, a.length);
    if (i === undefined) return shapeError('shape.concatAxis', { axis, shape: formatShape(a), last: a.length - 1 }, 'a');
    if (a.some((d, k) => k !== i && d !== b[k])) return shapeError('shape.concatMismatch', { axis, ...args }, 'b');
    const out: Shape = [...a];
    out[i] = (a[i] ?? 0) + (b[i] ?? 0);
    return shapeOk({ out });
  },
  paramCount: () => 0,
  // tfjs's Concatenate layer reads every negative axis but −1 as the last one, so it gets the positive index.
  build: (p, ctx) => ctx.tf.layers.concatenate({ name: ctx.name, axis: featureAxis(num(p, 'axis'), ctx.inputShape.length) }),
  forward: ({ a, b }, _w, p, { tf }) => tf.concat([a, b], featureAxis(num(p, 'axis'), a.rank)),
  keras: (p, { name }) => `layers.Concatenate(axis=${num(p, 'axis')}, name=${pyStr(name)})`,
};
