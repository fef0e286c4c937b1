import { shapeOk, pyStr, type NodeDef } from './types';

export const labelInput: NodeDef = {
  type: 'LabelInput',
  category: 'input',
  title: { en: 'Label input', ko: '레이블 입력' },
  summary: {
    en: 'A class label (a digit 0–9 for MNIST) that conditions a network: in D each real image’s own label, in G the label asked for.',
    ko: '네트워크에 조건을 거는 클래스 레이블(MNIST에서는 숫자 0–9): D에서는 각 진짜 이미지의 레이블, G에서는 요청한 레이블.',
  },
  teach: {
    en: 'A conditional GAN (the book’s chapter 8) tells both networks which class each image should be. In the discriminator this input carries each real image’s label from the dataset, and for fakes the label the generator was asked for: the combiner routes the same labels into D. In the generator it is the label asked for: during training random digits, in the sample grid the digits you choose. Each label is one whole number from 0 to classes − 1, shape 1, so an Embedding turns it into a learned vector before it meets z or the image.',
    ko: '조건부 GAN(책의 8장)은 두 네트워크에 각 이미지가 어느 클래스여야 하는지 알려 줍니다. 판별자에서 이 입력은 데이터셋에 있는 각 진짜 이미지의 레이블을, 가짜에는 생성자가 요청받은 레이블을 전합니다. 결합기가 같은 레이블을 D로 보냅니다. 생성자에서는 요청한 레이블입니다: 학습 중에는 무작위 숫자, 샘플 그리드에서는 여러분이 고른 숫자입니다. 레이블은 0부터 클래스 수 − 1까지의 정수 하나(모양 1)이므로, z나 이미지와 만나기 전에 Embedding이 학습된 벡터로 바꿉니다.',
  },
  inputs: [],
  outputs: [{ key: 'out', label: { en: 'label', ko: '레이블' } }],
  messages: {},
  params: [
    {
      key: 'classes',
      kind: 'int',
      label: { en: 'Classes', ko: '클래스 수' },
      help: { en: 'How many labels the data has: 10 for MNIST’s digits.', ko: '데이터의 레이블 수: MNIST의 숫자는 10개입니다.' },
      default: 10,
      min: 2,
      max: 1000,
    },
  ],
  // One whole number per example, as the book's Input(shape=(1,), dtype="int32").
  inferShape: () => shapeOk({ out: [null, 1] }),
  paramCount: () => 0,
  inputDtype: 'int32',
  keras: (_p, { name }) => `keras.Input(shape=(1,), dtype="int32", name=${pyStr(name)})`,
};

