import { shapeOk, num, pyFloat, pyStr, type NodeDef } from './types';

export const dropout: NodeDef = {
  type: 'Dropout',
  category: 'layer',
  title: { en: 'Dropout', ko: 'Dropout (드롭아웃)' },
  summary: { en: 'While training, zeroes a random fraction of values so no unit can rely on another.', ko: '학습 중 값의 일부를 무작위로 0으로 만들어, 어떤 유닛도 다른 유닛에 기대지 못하게 합니다.' },
  teach: {
    en: 'During training, Dropout sets each value to zero with probability rate and scales the survivors by 1 / (1 − rate), so the expected sum stays the same. Outside training (sample grids, exports) it passes values through unchanged. In a discriminator it keeps D from memorising the real images, which gives G more useful gradients. Ganvas draws the dropout masks from the run\'s seeded random generator, so a run with the same seed repeats exactly. It has no parameters.',
    ko: '학습 중 Dropout은 각 값을 rate 확률로 0으로 만들고 남은 값을 1 / (1 − rate)배 하여 기대 합을 유지합니다. 학습 밖(샘플 그리드, 내보내기)에서는 값을 그대로 통과시킵니다. 판별자에 넣으면 D가 진짜 이미지를 외우지 못하게 해서 G에 더 쓸모 있는 기울기를 줍니다. Ganvas는 드롭아웃 마스크를 실행의 시드 난수 생성기에서 뽑으므로, 같은 시드의 실행은 정확히 반복됩니다. 파라미터는 없습니다.',
  },
  inputs: [{ key: 'in', label: { en: 'in', ko: '입력' } }],
  outputs: [{ key: 'out', label: { en: 'out', ko: '출력' } }],
  messages: {},
  params: [{ key: 'rate', kind: 'float', label: { en: 'Rate (fraction dropped)', ko: '비율 (버리는 몫)' }, default: 0.3, min: 0, max: 0.95 }],
  inferShape: (inputs) => shapeOk({ out: [...inputs.in] }),
  paramCount: () => 0,
  build: (p, ctx) => ctx.tf.layers.dropout({ name: ctx.name, rate: num(p, 'rate'), seed: ctx.seed }),
  forward({ in: x }, _w, p, { tf, training, seed }) {
    const rate = num(p, 'rate');
    // Outside training a new handle on the same data (no copy): the caller may dispose its result, never its input.
    return training && rate > 0 ? tf.dropout(x, rate, undefined, seed()) : tf.clone(x);
  },
  keras: (p, { name }) => `layers.Dropout(${pyFloat(num(p, 'rate'))}, name=${pyStr(name)})`,
};
