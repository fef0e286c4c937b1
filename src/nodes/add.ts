import { formatShape, shapeError, shapeOk, pyStr, type NodeDef } from './types';

export const add: NodeDef = {
  type: 'Add',
  category: 'layer',
  title: { en: 'Add', ko: 'Add (더하기)' },
  summary: { en: 'Joins two branches by adding them element by element: a + b, same shape in and out.', ko: '두 갈래를 원소마다 더해 합칩니다: a + b, 입력과 출력의 모양이 같습니다.' },
  teach: {
    en: 'Add joins two branches of a network: each output value is the sum of the values at the same place in a and b, so both inputs must have exactly the same shape. A branch that skips some layers and is added back (a "skip" or residual connection, as in ResNet) lets a deep network learn small corrections on top of what it already has, and gives gradients a short path back. Add has no parameters; the layers on each branch do the learning.',
    ko: 'Add는 네트워크의 두 갈래를 합칩니다. 출력의 각 값은 a와 b의 같은 자리 값의 합이므로 두 입력의 모양이 정확히 같아야 합니다. 몇 층을 건너뛰었다가 다시 더해지는 갈래("스킵" 또는 잔차 연결, ResNet처럼)는 깊은 네트워크가 이미 가진 것 위에 작은 보정을 배우게 하고, 기울기에 짧은 귀갓길을 줍니다. Add에는 파라미터가 없고, 배우는 것은 각 갈래의 층입니다.',
  },
  inputs: [
    { key: 'a', label: { en: 'a', ko: '입력 a' } },
    { key: 'b', label: { en: 'b', ko: '입력 b' } },
  ],
  outputs: [{ key: 'out', label: { en: 'a + b', ko: 'a + b' } }],
  params: [],
  messages: {
    'shape.addMismatch': {
      en: 'Add needs two inputs of the same shape, but a is {a} and b is {b}: make both branches end in the same shape.',
      ko: 'Add에는 모양이 같은 입력 둘이 필요한데 a는 {a}, b는 {b}입니다. 두 갈래가 같은 모양으로 끝나게 하세요.',
    },
  },
  inferShape({ a, b }) {
    if (formatShape(a) !== formatShape(b)) return shapeError('shape.addMismatch', { a: formatShape(a), b: formatShape(b) }, 'b');
    return shapeOk({ out: [...a] });
  },
  paramCount: () => 0,
  build: (_p, ctx) => ctx.tf.layers.add({ name: ctx.name }),
  forward: ({ a, b }, _w, _p, { tf }) => tf.add(a, b),
  keras: (_p, { name }) => `layers.Add(name=${pyStr(name)})`,
};
