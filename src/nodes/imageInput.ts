import { shapeError, shapeOk, dims, pyStr, pyTuple, str, type NodeDef } from './types';

/** Shapes of the datasets an image input can read; the trainer feeds real images of this shape. */
export const DATASET_SHAPES: Record<string, number[]> = { mnist: [28, 28, 1] };

export const imageInput: NodeDef = {
  type: 'ImageInput',
  category: 'input',
  title: { en: 'Image input', ko: '이미지 입력' },
  summary: { en: 'Where the discriminator receives images: real ones from the dataset, fake ones from the generator.', ko: '판별자가 이미지를 받는 곳: 데이터셋의 진짜 이미지와 생성자의 가짜 이미지.' },
  teach: {
    en: 'The discriminator sees two kinds of images through this input: real MNIST digits, scaled from 0…255 to -1…1 (x / 127.5 − 1), and fakes from the generator. The scaling matches the generator\'s tanh output range, so real and fake live on the same scale.',
    ko: '판별자는 이 입력으로 두 종류의 이미지를 봅니다. 0…255를 -1…1로 (x / 127.5 − 1) 바꾼 진짜 MNIST 숫자와 생성자가 만든 가짜입니다. 이 범위는 생성자의 tanh 출력 범위와 같아서 진짜와 가짜가 같은 척도에 놓입니다.',
  },
  inputs: [],
  outputs: [{ key: 'out', label: { en: 'image', ko: '이미지' } }],
  messages: {
    'shape.datasetMismatch': { en: '{dataset} images are {expected}, not {got}.', ko: '{dataset} 이미지는 {got}이(가) 아니라 {expected}입니다.' },
  },
  tooltip: () => ['tanh'],
  params: [
    { key: 'dataset', kind: 'enum', label: { en: 'Dataset', ko: '데이터셋' }, default: 'mnist', options: ['mnist'] },
    { key: 'shape', kind: 'shape', label: { en: 'Image shape', ko: '이미지 모양' }, default: [28, 28, 1], minRank: 1, maxRank: 3, maxDim: 4096 },
  ],
  inferShape(_inputs, p) {
    const shape = dims(p, 'shape');
    const expected = DATASET_SHAPES[str(p, 'dataset')];
    if (expected && expected.join('x') !== shape.join('x')) {
      return shapeError('shape.datasetMismatch', { dataset: str(p, 'dataset'), expected: expected.join('×'), got: shape.join('×') });
    }
    return shapeOk({ out: [null, ...shape] });
  },
  paramCount: () => 0,
  keras: (p, { name }) => `keras.Input(shape=${pyTuple(dims(p, 'shape'))}, name=${pyStr(name)})`,
};
