import { formatShape, shapeError, shapeOk, pyStr, type NodeDef } from './types';

export const multiply: NodeDef = {
  type: 'Multiply',
  category: 'layer',
  title: { en: 'Multiply', ko: 'Multiply (곱하기)' },
  summary: { en: 'Multiplies two branches of the same shape element by element: how the book’s CGAN joins z with its label.', ko: '모양이 같은 두 갈래를 원소별로 곱합니다. 책의 CGAN은 이렇게 z와 레이블을 합칩니다.' },
  teach: {
    en: 'Multiply joins two branches of exactly the same shape by multiplying them value by value: a ⊙ b. In the book’s conditional generator, z (100 numbers) is multiplied by the label’s embedding (100 numbers), so every digit scales the noise in its own learned way before the generator turns it into an image. Unlike Concatenate the result keeps the shape of its inputs. It has no parameters.',
    ko: 'Multiply는 모양이 똑같은 두 갈래를 값마다 곱해 합칩니다: a ⊙ b. 책의 조건부 생성자에서 z(100개 수)에 레이블의 임베딩(100개 수)을 곱하므로, 숫자마다 자기만의 학습된 방식으로 잡음의 크기를 바꾼 뒤 생성자가 이미지로 만듭니다. Concatenate와 달리 결과는 입력과 같은 모양입니다. 파라미터는 없습니다.',
  },
  inputs: [
    { key: 'a', label: { en: 'a', ko: '입력 a' } },
    { key: 'b', label: { en: 'b', ko: '입력 b' } },
  ],
  outputs: [{ key: 'out', label: { en: 'a ⊙ b', ko: 'a ⊙ b' } }],
  params: [],
  messages: {
    'shape.multiplyMismatch': {
      en: 'Multiply needs two inputs of the same shape, but a is {a} and b is {b}: a Flatten or Reshape on one branch may help.',
      ko: 'Multiply에는 모양이 같은 두 입력이 필요한데 a는 {a}, b는 {b}입니다. 한 갈래에 Flatten이나 Reshape를 넣으면 될 수 있습니다.',
    },
  },
  inferShape({ a, b }) {
    if (formatShape(a) !== formatShape(b)) return shapeError('shape.multiplyMismatch', { a: formatShape(a), b: formatShape(b) }, 'b');
    return shapeOk({ out: [...a] });
  },
  paramCount: () => 0,
  build: (_p, ctx) => ctx.tf.layers.multiply({ name: ctx.name }),
  forward: ({ a, b }, _w, _p, { tf }) => tf.mul(a, b),
  keras: (_p, { name }) => `layers.Multiply(name=${pyStr(name)})`,
};
