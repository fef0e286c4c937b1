import { formatShape, shapeError, shapeOk, num, pyFloat, type NodeDef, type Problem } from './types';

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
  messages: {
    'param.beta1AboveBeta2': { en: 'β1 should not exceed β2 (Adam\'s defaults are 0.9 and 0.999).', ko: 'β1은 β2보다 크지 않아야 합니다(Adam 기본값은 0.9와 0.999).' },
    'shape.lossNeedsProbability': { en: 'The loss needs one probability per image (?×1), but gets {shape}: end the network with Dense 1, sigmoid.', ko: '손실에는 이미지마다 확률 하나(?×1)가 필요한데 {shape}이(가) 들어옵니다. 네트워크를 Dense 1, sigmoid로 끝내세요.' },
  },
  concepts: [
    {
      id: 'bce',
      title: { en: 'Binary cross-entropy', ko: '이진 크로스 엔트로피' },
      short: {
        en: 'BCE = −[y·log p + (1 − y)·log(1 − p)]: small when D’s probability p agrees with the label y.',
        ko: 'BCE = −[y·log p + (1 − y)·log(1 − p)]: D의 확률 p가 레이블 y와 맞을수록 작습니다.',
      },
      body: {
        en: 'Binary cross-entropy measures how surprised D is by the label: −[y·log p + (1 − y)·log(1 − p)], averaged over the batch. A confident wrong answer costs a lot (log 0 → ∞), a confident right one almost nothing. D minimises it with label 1 on real and 0 on fakes. G is trained with the same loss but with the target 1 on its fakes: it is rewarded when D calls them real. ln 2 ≈ 0.693 is the loss of a D that always says 0.5.',
        ko: '이진 크로스 엔트로피는 레이블을 본 D가 얼마나 놀라는지를 잽니다: −[y·log p + (1 − y)·log(1 − p)]를 배치에 대해 평균합니다. 자신 있게 틀리면 손실이 크고(log 0 → ∞), 자신 있게 맞히면 거의 0입니다. D는 진짜에 레이블 1, 가짜에 0을 두고 이 값을 줄입니다. G도 같은 손실로 학습하지만 자신의 가짜에 목표 1을 둡니다. D가 가짜를 진짜라고 부를 때 보상을 받는 셈입니다. 늘 0.5라고 답하는 D의 손실은 ln 2 ≈ 0.693입니다.',
      },
    },
    {
      id: 'adam',
      title: { en: 'Adam', ko: 'Adam 옵티마이저' },
      short: {
        en: 'Adam adapts each weight’s step from running averages of its gradient (β1) and squared gradient (β2).',
        ko: 'Adam은 기울기(β1)와 기울기 제곱(β2)의 이동 평균으로 가중치마다 보폭을 조절합니다.',
      },
      body: {
        en: 'Adam is gradient descent with two memories per weight: a running mean of the gradient (momentum, decay β1 = 0.9) and of its square (decay β2 = 0.999). Each step moves a weight by the learning rate × mean / (√square + ε), so every weight gets a step size suited to its own gradients. The book uses Adam with the Keras defaults (learning rate 0.001) for D and for the combined model; each has its own optimizer and its own memories.',
        ko: 'Adam은 가중치마다 두 가지를 기억하는 경사 하강법입니다. 기울기의 이동 평균(모멘텀, 감쇠 β1 = 0.9)과 기울기 제곱의 이동 평균(감쇠 β2 = 0.999)입니다. 한 번의 단계에서 가중치는 학습률 × 평균 / (√제곱 + ε)만큼 움직이므로, 가중치마다 자기 기울기에 맞는 보폭을 얻습니다. 책은 D와 결합 모델에 Keras 기본값(학습률 0.001)의 Adam을 쓰며, 둘은 각자의 옵티마이저와 기억을 가집니다.',
      },
    },
  ],
  tooltip: () => ['bce', 'adam'],
  paramTooltips: { learningRate: ['adam'], beta1: ['adam'], beta2: ['adam'], epsilon: ['adam'] },
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
    if (p.length !== 2 || p[1] !== 1) return shapeError('shape.lossNeedsProbability', { shape: formatShape(p) }, 'pred');
    return shapeOk({});
  },
  paramCount: () => 0,
  // The loss stands for binary cross-entropy plus its network's own optimizer; the script's loop applies both.
  keras: (p) =>
    `keras.optimizers.Adam(learning_rate=${pyFloat(num(p, 'learningRate'))}, beta_1=${pyFloat(num(p, 'beta1'))}, beta_2=${pyFloat(num(p, 'beta2'))}, epsilon=${pyFloat(num(p, 'epsilon'))})`,
};
