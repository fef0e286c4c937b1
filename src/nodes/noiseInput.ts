import { shapeOk, num, pyStr, pyTuple, type NodeDef } from './types';

export const noiseInput: NodeDef = {
  type: 'NoiseInput',
  category: 'input',
  title: { en: 'Noise z', ko: '노이즈 z' },
  summary: { en: 'Random vector z ~ N(0, 1) that the generator turns into an image.', ko: '생성자가 이미지로 바꾸는 무작위 벡터 z ~ N(0, 1).' },
  teach: {
    en: 'The generator starts from noise: each sample draws z from a standard normal distribution. Different z give different images; the generator learns to map this simple distribution onto the distribution of real digits. The book uses z of size 100.',
    ko: '생성자는 잡음에서 출발합니다. 샘플마다 표준 정규분포에서 z를 뽑습니다. z가 다르면 이미지도 달라지며, 생성자는 이 단순한 분포를 진짜 숫자 이미지의 분포로 옮기는 법을 배웁니다. 책에서는 크기 100의 z를 씁니다.',
  },
  inputs: [],
  outputs: [{ key: 'out', label: { en: 'z', ko: 'z' } }],
  messages: {},
  params: [{ key: 'size', kind: 'int', label: { en: 'z size', ko: 'z 크기' }, default: 100, min: 1, max: 4096 }],
  inferShape: (_inputs, p) => shapeOk({ out: [null, num(p, 'size')] }),
  paramCount: () => 0,
  keras: (p, { name }) => `keras.Input(shape=${pyTuple([num(p, 'size')])}, name=${pyStr(name)})`,
};
