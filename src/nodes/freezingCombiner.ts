import { shapeError, shapeOk, formatShape, type NodeDef } from './types';

export const freezingCombiner: NodeDef = {
  type: 'FreezingCombiner',
  category: 'combiner',
  title: { en: 'Freezing combiner G→D', ko: '고정 결합기 G→D' },
  summary: { en: 'Stacks the generator and a frozen discriminator into the model that trains G.', ko: '생성자와 고정된 판별자를 쌓아 G를 학습시키는 모델을 만듭니다.' },
  teach: {
    en: 'To train G we need D\'s opinion of G\'s images, so this node stacks them: z → G → D → p(real). Its loss updates only G: D is frozen during the G stage, and G is untouched during D\'s own stage. Ganvas enforces this by handing each optimizer an explicit list of the variables it may change (and its tests compare every weight before and after each stage), rather than by the Keras trick of setting D.trainable = False after compiling D, which breaks on today\'s libraries.',
    ko: 'G를 학습하려면 G의 이미지에 대한 D의 판단이 필요하므로, 이 노드는 둘을 쌓습니다: z → G → D → p(진짜). 이 손실은 G만 갱신합니다. G 단계에서는 D가 고정되고, D 단계에서는 G가 변하지 않습니다. Ganvas는 D를 컴파일한 뒤 D.trainable = False로 두는 Keras 요령(오늘날 라이브러리에서는 깨집니다) 대신, 옵티마이저마다 바꿀 수 있는 변수 목록을 명시적으로 넘겨 이를 보장하며, 테스트가 단계마다 모든 가중치를 전후로 비교합니다.',
  },
  inputs: [
    { key: 'fake', label: { en: 'G output', ko: 'G 출력' } },
    { key: 'critic', label: { en: 'D output', ko: 'D 출력' } },
  ],
  outputs: [{ key: 'out', label: { en: 'D(G(z))', ko: 'D(G(z))' } }],
  params: [],
  inferShape(inputs, _p, ctx) {
    const dInput = ctx.rootInputShape('critic');
    if (dInput && formatShape(dInput) !== formatShape(inputs.fake)) {
      return shapeError('shape.combinerMismatch', { fake: formatShape(inputs.fake), expected: formatShape(dInput) }, 'fake');
    }
    return shapeOk({ out: [...inputs.critic] });
  },
  paramCount: () => 0,
};
