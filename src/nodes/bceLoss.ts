import { shapeError, shapeOk, num, type NodeDef, type Problem } from './types';

export const bceLoss: NodeDef = {
  type: 'BCELoss',
  category: 'loss',
  title: { en: 'Binary cross-entropy + Adam', ko: '이진 교차 엔트로피 + Adam' },
  summary: { en: 'Scores "real or fake" predictions and trains the network behind it with its own Adam optimizer.', ko: '"진짜냐 가짜냐" 예측을 채점하고, 자기 Adam 옵티마이저로 뒤쪽 네트워크를 학습시킵니다.' },
  teach: {
    en: 'Binary cross-entropy is −[y·log p + (1−y)·log(1−p)]: small when the predicted probability p agrees with the label y. Connected to the discriminator, it trains D with labels 1 for real and 0 for fake images. Connected to the freezing combiner, it trains G with label 1: G improves by making D call its fakes real. Each loss owns one Adam optimizer (Keras defaults: lr 0.001, β1 0.9, β2 0.999, ε 1e-7); Adam adapts each weight\'s step size from running averages of its gradients. p is clipped to [ε, 1−ε] with ε = 1e-7 so log never sees 0.',
    ko: '이진 교차 엔트로피는 −[y·log p + (1−y)·log(1−p)]이며, 예측 확률 p가 레이블 y와 맞을수록 작아집니다. 판별자에 연결하면 진짜는 1, 가짜는 0 레이블로 D를 학습시킵니다. 고정 결합기에 연결하면 레이블 1로 G를 학습시킵니다: G는 D가 자기 가짜를 진짜라고 하게 만들면서 나아집니다. 손실마다 Adam 옵티마이저가 하나씩 있습니다(Keras 기본값: lr 0.001, β1 0.9, β2 0.999, ε 1e-7). Adam은 기울기의 이동 평균으로 가중치마다 보폭을 조절합니다. log가 0을 보지 않도록 p를 ε = 1e-7로 [ε, 1−ε]에 자릅니다.',
  },
  inputs: [{ key: 'pred', label: { en: 'p(real)', ko: 'p(진짜)' } }],
  outputs: [],
  params: [
    { key: 'learningRate', kind: 'float', label: { en: 'Learning rate', ko: '학습률' }, default: 0.001, min: 0, max: 1e38, exclusiveMin: true },
    { key: 'beta1', kind: 'float', label: { en: 'β1', ko: 'β1' }, default: 0.9, min: 0, max: 0.999999 },
    { key: 'beta2', kind: 'float', label: { en: 'β2', ko: 'β2' }, default: 0.999, min: 0, max: 0.99999999 },
    { key: 'epsilon', kind: 'float', label: { en: 'ε', ko: 'ε' }, default: 1e-7, min: 0, max: 1, exclusiveMin: true },
  ],
  checkParams(p) {
    const problems: Problem[] = [];
    if (num(p, 'beta1') > num(p, 'beta2')) problems.push({ code: 'param.beta1AboveBeta2', param: 'beta1' });
    return problems;
  },
  inferShape(inputs) {
    const p = inputs.pred;
    if (p.length !== 2 || p[1] !== 1) return shapeError('shape.lossNeedsProbability', { shape: p.map((d) => d ?? '?').join('×') }, 'pred');
    return shapeOk({});
  },
  paramCount: () => 0,
};
