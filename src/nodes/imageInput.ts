import { shapeError, shapeOk, dims, pyStr, pyTuple, str, type NodeDef } from './types';

/** Shapes of the installed datasets; the learner's own come from the dataset catalogue (ShapeContext.dataset). */
export const DATASET_SHAPES: Record<string, number[]> = { mnist: [28, 28, 1] };

/** The learner's own datasets, kept in the browser or prepared by the runner: `user:` and a slug. */
const isUserDataset = (v: string) => /^user:[a-z0-9][a-z0-9-]{0,47}$/.test(v);

export const imageInput: NodeDef = {
  type: 'ImageInput',
  category: 'input',
  title: { en: 'Image input', ko: '이미지 입력' },
  summary: { en: 'Where the discriminator receives images: real ones from the dataset, fake ones from the generator.', ko: '판별자가 이미지를 받는 곳: 데이터셋의 진짜 이미지와 생성자의 가짜 이미지.' },
  teach: {
    en: 'The discriminator sees two kinds of images through this input: real ones from the dataset (MNIST digits, or your own images), scaled from 0…255 to -1…1 (x / 127.5 − 1), and fakes from the generator. The scaling matches the generator\'s tanh output range, so real and fake live on the same scale. The image shape must be the dataset\'s, and the generator must make images of that shape.',
    ko: '판별자는 이 입력으로 두 종류의 이미지를 봅니다. 0…255를 -1…1로 (x / 127.5 − 1) 바꾼 데이터셋의 진짜 이미지(MNIST 숫자나 내 이미지)와 생성자가 만든 가짜입니다. 이 범위는 생성자의 tanh 출력 범위와 같아서 진짜와 가짜가 같은 척도에 놓입니다. 이미지 모양은 데이터셋과 같아야 하고, 생성자도 그 모양의 이미지를 만들어야 합니다.',
  },
  inputs: [],
  outputs: [{ key: 'out', label: { en: 'image', ko: '이미지' } }],
  messages: {
    'shape.datasetMismatch': { en: '{dataset} images are {expected}, not {got}.', ko: '{dataset} 이미지는 {got}이(가) 아니라 {expected}입니다.' },
    'shape.datasetUnknown': { en: 'The dataset "{dataset}" is not loaded here. Load it again, or pick MNIST.', ko: '데이터셋 "{dataset}"이(가) 여기에 불러와져 있지 않습니다. 다시 불러오거나 MNIST를 고르세요.' },
  },
  tooltip: () => ['tanh'],
  params: [
    { key: 'dataset', kind: 'enum', label: { en: 'Dataset', ko: '데이터셋' }, default: 'mnist', options: ['mnist'], accepts: isUserDataset },
    { key: 'shape', kind: 'shape', label: { en: 'Image shape', ko: '이미지 모양' }, default: [28, 28, 1], minRank: 1, maxRank: 3, maxDim: 4096 },
  ],
  inferShape(_inputs, p, ctx) {
    const shape = dims(p, 'shape');
    const id = str(p, 'dataset');
    const known = ctx.dataset?.(id);
    const expected = known?.shape ?? DATASET_SHAPES[id];
    if (!expected) return shapeError('shape.datasetUnknown', { dataset: id.replace(/^user:/, '') });
    if (expected.join('x') !== shape.join('x')) {
      return shapeError('shape.datasetMismatch', { dataset: known?.name ?? id, expected: expected.join('×'), got: shape.join('×') });
    }
    return shapeOk({ out: [null, ...shape] });
  },
  paramCount: () => 0,
  keras: (p, { name }) => `keras.Input(shape=${pyTuple(dims(p, 'shape'))}, name=${pyStr(name)})`,
};
