import { formatShape, shapeError, shapeOk, num, pyStr, type NodeDef } from './types';

export const embedding: NodeDef = {
  type: 'Embedding',
  category: 'layer',
  title: { en: 'Embedding', ko: 'Embedding (임베딩)' },
  summary: { en: 'Turns a class label into a learned vector: row `label` of a table of classes × size weights.', ko: '클래스 레이블을 학습된 벡터로 바꿉니다: 클래스 수 × 크기 가중치 표의 `label`번째 행.' },
  teach: {
    en: 'An Embedding is a table with one row per class; the label picks its row. The rows are weights like any other, so training shapes them into whatever helps: in the book’s CGAN the generator’s Embedding(10, 100) makes one 100-number vector per digit, multiplied into z, and the discriminator’s Embedding(10, 784) makes one 28×28 “label image” per digit, stacked onto the image as a second channel. It owns classes × size parameters and starts uniform in ±0.05, like Keras. Input dimension must cover every label the data has (10 for MNIST).',
    ko: 'Embedding은 클래스마다 한 행이 있는 표이고, 레이블이 그 행을 고릅니다. 행은 다른 가중치와 똑같이 학습되어 도움이 되는 모양이 됩니다. 책의 CGAN에서 생성자의 Embedding(10, 100)은 숫자마다 100개 수의 벡터를 만들어 z에 곱하고, 판별자의 Embedding(10, 784)는 숫자마다 28×28 "레이블 이미지"를 만들어 이미지에 두 번째 채널로 쌓습니다. 파라미터는 클래스 수 × 크기 개이며, Keras처럼 ±0.05 범위의 균등분포로 시작합니다. 입력 차원은 데이터의 모든 레이블을 담아야 합니다(MNIST는 10).',
  },
  inputs: [{ key: 'in', label: { en: 'label', ko: '레이블' } }],
  outputs: [{ key: 'out', label: { en: 'vector', ko: '벡터' } }],
  messages: {
    'shape.embeddingNeedsLabels': {
      en: 'Embedding reads whole-number labels of shape ?×1 (from a Label input), but gets {shape}.',
      ko: 'Embedding은 모양 ?×1인 정수 레이블(레이블 입력에서)을 읽는데 {shape}이(가) 들어옵니다.',
    },
  },
  params: [
    {
      key: 'inputDim',
      kind: 'int',
      label: { en: 'Input dimension (classes)', ko: '입력 차원(클래스 수)' },
      help: { en: 'Rows of the table: one per label, 10 for MNIST.', ko: '표의 행 수: 레이블마다 하나, MNIST는 10.' },
      default: 10,
      min: 1,
      max: 100000,
    },
    {
      key: 'outputDim',
      kind: 'int',
      label: { en: 'Output dimension', ko: '출력 차원' },
      help: { en: 'Length of each label’s vector: 100 to meet z, 784 to become a 28×28 image.', ko: '레이블마다의 벡터 길이: z와 만나려면 100, 28×28 이미지가 되려면 784.' },
      default: 100,
      min: 1,
      max: 65536,
    },
  ],
  inferShape({ in: x }, p) {
    if (x.length !== 2) return shapeError('shape.embeddingNeedsLabels', { shape: formatShape(x) }, 'in');
    return shapeOk({ out: [x[0], x[1], num(p, 'outputDim')] });
  },
  paramCount: (_inputs, p) => num(p, 'inputDim') * num(p, 'outputDim'),
  build: (p, ctx) =>
    ctx.tf.layers.embedding({
      name: ctx.name,
      inputDim: num(p, 'inputDim'),
      outputDim: num(p, 'outputDim'),
      // Keras's Embedding default ("uniform": ±0.05); tfjs's own default is the same, the seed makes runs repeat.
      embeddingsInitializer: ctx.tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: ctx.seed }),
    }),
  // Row lookup; its gradient is an UnsortedSegmentSum of the output gradient into the table's rows.
  forward: ({ in: x }, [table], _p, { tf }) => tf.gather(table, x.dtype === 'int32' ? x : tf.cast(x, 'int32')),
  keras: (p, { name }) => `layers.Embedding(${num(p, 'inputDim')}, ${num(p, 'outputDim')}, name=${pyStr(name)})`,
};
