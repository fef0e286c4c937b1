// The teaching texts beyond each node's own `teach`: the ideas of "GANs in Action" ch. 3 that span several nodes
// (Learn panel sections, node/parameter tooltips) and the walkthrough's per-stage explanations. Every text carries
// English and Korean, like NodeDefs; src/i18n/ui.test.ts fails on a missing or empty language.
import type { LocalizedText } from '../../nodes/types';
import type { WalkStageId } from '../../train/walkthrough';

export type ConceptId = 'leakyRelu' | 'tanh' | 'sigmoid' | 'bce' | 'adam' | 'freezing';

export interface Concept {
  id: ConceptId;
  title: LocalizedText;
  /** One line for tooltips. */
  short: LocalizedText;
  /** The Learn panel's paragraph. */
  body: LocalizedText;
}

export const CONCEPTS: readonly Concept[] = [
  {
    id: 'leakyRelu',
    title: { en: 'Why LeakyReLU keeps gradients alive', ko: 'LeakyReLU가 기울기를 살려 두는 이유' },
    short: {
      en: 'LeakyReLU passes α·x for negative x, so the gradient is never exactly zero and G keeps learning.',
      ko: 'LeakyReLU는 음수 x에 α·x를 내보내므로 기울기가 0이 되지 않아 G가 계속 배웁니다.',
    },
    body: {
      en: 'ReLU sets every negative input to 0, and its slope there is 0: no gradient flows back through that unit. In a GAN the generator learns only from gradients that travel back through the discriminator, so dead units in D starve G. LeakyReLU outputs α·x for negative x (α = 0.01 in the book): the slope is small but never zero, so some signal always reaches G. It has no weights of its own.',
      ko: 'ReLU는 음수 입력을 모두 0으로 만들고 그 구간의 기울기도 0이라서, 그 유닛으로는 기울기가 거꾸로 흐르지 않습니다. GAN에서 생성자는 판별자를 거쳐 되돌아오는 기울기로만 배우므로, D의 죽은 유닛은 G를 굶깁니다. LeakyReLU는 음수 x에 α·x를 내보냅니다(책에서는 α = 0.01). 기울기가 작아도 0은 아니므로 신호가 언제나 G까지 닿습니다. 자신의 가중치는 없습니다.',
    },
  },
  {
    id: 'tanh',
    title: { en: 'Why tanh output, and pixels in [-1, 1]', ko: '출력에 tanh를 쓰는 이유와 [-1, 1] 범위의 픽셀' },
    short: {
      en: 'tanh squeezes G’s output into [-1, 1]; real images are scaled the same way (x / 127.5 − 1).',
      ko: 'tanh는 G의 출력을 [-1, 1]로 눌러 줍니다. 진짜 이미지도 같은 방식(x / 127.5 − 1)으로 바꿉니다.',
    },
    body: {
      en: 'D must not be able to tell real from fake by their value range alone, so both live in the same range. The book rescales MNIST pixels from 0…255 to [-1, 1] with x / 127.5 − 1, and ends G with tanh, whose outputs lie in (-1, 1) and which is centred on zero with a steep slope near 0 (it trains more easily than sigmoid there). For display the grid maps back with 0.5·x + 0.5.',
      ko: 'D가 값의 범위만 보고 진짜와 가짜를 가려내면 안 되므로 둘은 같은 범위에 있어야 합니다. 책은 MNIST 픽셀을 0…255에서 x / 127.5 − 1로 [-1, 1]에 옮기고, G의 끝에 tanh를 둡니다. tanh의 출력은 (-1, 1)이고 0을 중심으로 0 근처의 기울기가 가팔라서 그곳에서는 sigmoid보다 잘 학습됩니다. 화면에 그릴 때는 0.5·x + 0.5로 되돌립니다.',
    },
  },
  {
    id: 'sigmoid',
    title: { en: 'Sigmoid: the probability that an image is real', ko: 'sigmoid: 이미지가 진짜일 확률' },
    short: {
      en: 'D’s last Dense ends in sigmoid: one number in (0, 1), read as “probability real”.',
      ko: 'D의 마지막 Dense는 sigmoid로 끝납니다. (0, 1) 사이의 숫자 하나를 "진짜일 확률"로 읽습니다.',
    },
    body: {
      en: 'The discriminator is a binary classifier. Its last layer, Dense(1), produces one unbounded score per image; sigmoid(s) = 1 / (1 + e^(−s)) turns it into a number between 0 and 1, read as the probability that the image is real. Real images get the label 1, fakes the label 0, and accuracy counts how often D lands on the right side of 0.5.',
      ko: '판별자는 이진 분류기입니다. 마지막 층 Dense(1)은 이미지마다 범위가 없는 점수 하나를 내고, sigmoid(s) = 1 / (1 + e^(−s))가 이를 0과 1 사이의 수로 바꿔 이미지가 진짜일 확률로 읽습니다. 진짜 이미지의 레이블은 1, 가짜는 0이며, 정확도는 D가 0.5를 기준으로 맞는 쪽에 선 비율입니다.',
    },
  },
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
  {
    id: 'freezing',
    title: { en: 'Why each stage freezes the other network', ko: '각 단계가 다른 네트워크를 고정하는 이유' },
    short: {
      en: 'The D step updates only D; the G step trains G through D while D is frozen ❄.',
      ko: 'D 단계는 D만 갱신하고, G 단계는 D를 고정(❄)한 채 D를 거쳐 G를 학습합니다.',
    },
    body: {
      en: 'G and D play a game with opposite goals, so each must be improved against a fixed opponent. In the D step the fakes are just data: G is not updated. In the G step the loss is computed through D (the combined model z → G → D with target 1), so gradients flow through D’s weights; if D were trainable there, it would learn to call fakes real, helping G cheat. The book sets discriminator.trainable = False before compiling the combined model; Ganvas hands each optimizer only its own network’s variables.',
      ko: 'G와 D는 목표가 반대인 게임을 하므로, 각자는 고정된 상대에 맞서 나아져야 합니다. D 단계에서 가짜 이미지는 그저 데이터일 뿐이며 G는 갱신되지 않습니다. G 단계의 손실은 D를 거쳐 계산되므로(목표 1인 결합 모델 z → G → D) 기울기가 D의 가중치를 지나갑니다. 이때 D가 학습된다면 가짜를 진짜라고 부르도록 배워 G의 속임수를 돕게 됩니다. 책은 결합 모델을 컴파일하기 전에 discriminator.trainable = False로 두고, Ganvas는 옵티마이저마다 자기 네트워크의 변수만 건넵니다.',
    },
  },
];

export const concept = (id: ConceptId): Concept => CONCEPTS.find((c) => c.id === id)!;

/** The Learn panel's "For teachers" section: the URL options of src/ui/teach/teacher.ts. */
export const TEACHERS: { title: LocalizedText; body: LocalizedText } = {
  title: { en: 'For teachers', ko: '교사용 안내' },
  body: {
    en: 'Add options to the page address (like TensorFlow Playground). ?teacher=readonly shows the graph read-only: learners can train and explore it but not edit it. ?hide=palette,inspector,training,save hides parts of the screen; names: palette, inspector, training, new, preset, edit (undo, redo, arrange), save, open, share, language, learn, walkthrough, export, models. Combine them with &, e.g. ?teacher=readonly&hide=palette,save. “Copy teacher link” copies a read-only link to the current graph.',
    ko: '페이지 주소에 옵션을 붙이세요(TensorFlow Playground처럼). ?teacher=readonly는 그래프를 읽기 전용으로 보여 줍니다. 학습자는 학습하고 살펴볼 수 있지만 편집할 수는 없습니다. ?hide=palette,inspector,training,save는 화면의 일부를 숨깁니다. 이름: palette, inspector, training, new, preset, edit(실행 취소, 다시 실행, 정렬), save, open, share, language, learn, walkthrough, export, models. &로 함께 쓸 수 있습니다. 예: ?teacher=readonly&hide=palette,save. "교사용 링크 복사"는 지금 그래프의 읽기 전용 링크를 복사합니다.',
  },
};

/** The walkthrough's explanation for each stage; `{n}` is the batch size. */
export const WALK_TEXTS: Record<WalkStageId | 'intro', { title: LocalizedText; body: LocalizedText }> = {
  intro: {
    title: { en: 'One training iteration, stage by stage', ko: '학습 한 반복을 단계별로' },
    body: {
      en: 'Press Next to take one real training iteration of this graph, one stage at a time. Each stage shows what it computed and lights up the nodes and connections it touches: green = weights updated, blue ❄ = frozen (used but not changed), amber = read. The iteration counts like any other: the weights really change.',
      ko: '다음을 누르면 이 그래프의 실제 학습 반복 하나를 한 단계씩 진행합니다. 단계마다 계산한 값을 보여 주고, 건드리는 노드와 연결을 표시합니다. 초록 = 가중치 갱신, 파랑 ❄ = 고정(쓰이지만 바뀌지 않음), 주황 = 읽기. 이 반복도 다른 반복처럼 세어지며 가중치가 실제로 바뀝니다.',
    },
  },
  real: {
    title: { en: '1. Sample {n} real images', ko: '1. 진짜 이미지 {n}장 뽑기' },
    body: {
      en: 'A random batch of {n} MNIST digits is drawn (with replacement) and scaled from 0…255 to [-1, 1], the range of G’s tanh output. These enter the discriminator through the image input. The first 16 are shown.',
      ko: 'MNIST 숫자 {n}장을 무작위로(중복 허용) 뽑아 0…255에서 G의 tanh 출력과 같은 [-1, 1] 범위로 바꿉니다. 이 이미지는 이미지 입력을 거쳐 판별자로 들어갑니다. 앞의 16장을 보여 줍니다.',
    },
  },
  generate: {
    title: { en: '2. z ~ N(0, 1) and G(z)', ko: '2. z ~ N(0, 1)과 G(z)' },
    body: {
      en: '{n} noise vectors z are drawn from a standard normal distribution and passed forward through the generator. Nothing is updated: this is only a forward pass. These are the fakes D will see in stage 4; the first 16 are shown.',
      ko: '표준 정규분포에서 노이즈 벡터 z를 {n}개 뽑아 생성자에 앞으로 통과시킵니다. 아무것도 갱신하지 않는 순전파일 뿐입니다. 이 가짜 이미지를 4단계에서 D가 보게 됩니다. 앞의 16장을 보여 줍니다.',
    },
  },
  dReal: {
    title: { en: '3. D step on real images, label 1', ko: '3. 진짜 이미지로 D 한 단계, 레이블 1' },
    body: {
      en: 'D judges the real batch; binary cross-entropy against the label 1 measures its mistakes, and Adam updates D’s weights once. G is frozen ❄: it is not part of this computation at all.',
      ko: 'D가 진짜 배치를 판정하고, 레이블 1에 대한 이진 크로스 엔트로피가 실수를 잽니다. Adam이 D의 가중치를 한 번 갱신합니다. G는 고정 ❄입니다. 이 계산에 전혀 참여하지 않습니다.',
    },
  },
  dFake: {
    title: { en: '4. D step on fakes, label 0', ko: '4. 가짜 이미지로 D 한 단계, 레이블 0' },
    body: {
      en: 'The same for the fakes of stage 2, now with the label 0. The fakes are plain data here, so G stays frozen ❄. The book’s d_loss and accuracy are the means of the real and fake halves.',
      ko: '2단계의 가짜 이미지로 같은 일을 하되 레이블은 0입니다. 여기서 가짜 이미지는 그냥 데이터이므로 G는 고정 ❄ 상태입니다. 책의 d_loss와 정확도는 진짜와 가짜 절반의 평균입니다.',
    },
  },
  gStep: {
    title: { en: '5. G step through the combiner, D frozen ❄', ko: '5. 결합기를 거친 G 한 단계, D 고정 ❄' },
    body: {
      en: 'Fresh z is drawn and sent through G and then D (the combined model) with the target 1: G is rewarded when D calls its fakes real. Gradients flow back through D’s layers into G, but only G’s weights are updated; D is frozen ❄.',
      ko: '새 z를 뽑아 G와 D(결합 모델)에 차례로 통과시키고 목표는 1로 둡니다. D가 가짜를 진짜라고 부르면 G가 보상을 받습니다. 기울기는 D의 층을 거쳐 G까지 흐르지만 갱신되는 것은 G의 가중치뿐이고 D는 고정 ❄입니다.',
    },
  },
  log: {
    title: { en: '6. The log line', ko: '6. 기록 한 줄' },
    body: {
      en: 'The iteration is complete. The book prints this line every sample_interval iterations: D’s loss and accuracy (means over real and fake), and G’s loss. It is also added to the training log.',
      ko: '반복이 끝났습니다. 책은 sample_interval 반복마다 이 줄을 출력합니다. D의 손실과 정확도(진짜와 가짜의 평균), G의 손실입니다. 학습 기록에도 추가됩니다.',
    },
  },
};

/** Concepts a node shows as its tooltip, chosen by its type (and Dense by its activation). */
export function nodeConcepts(type: string, params: Record<string, unknown> | undefined): ConceptId[] {
  switch (type) {
    case 'LeakyReLU':
      return ['leakyRelu'];
    case 'Dense':
      return params?.activation === 'tanh' ? ['tanh'] : params?.activation === 'sigmoid' ? ['sigmoid'] : [];
    case 'ImageInput':
      return ['tanh'];
    case 'BCELoss':
      return ['bce', 'adam'];
    case 'FreezingCombiner':
      return ['freezing'];
    default:
      return [];
  }
}

/** The concepts a parameter's tooltip explains. */
export function paramConcepts(type: string, key: string): ConceptId[] {
  if (type === 'LeakyReLU' && key === 'alpha') return ['leakyRelu'];
  if (type === 'Dense' && key === 'activation') return ['tanh', 'sigmoid'];
  if (type === 'BCELoss') return ['adam'];
  return [];
}

/** A tooltip: the short lines of the given concepts, one per line. */
export const conceptTooltip = (ids: ConceptId[], lang: 'en' | 'ko'): string | undefined =>
  ids.length === 0 ? undefined : ids.map((id) => concept(id).short[lang]).join('\n');

/** Every text above, for the test that each one has both languages. */
export function allTeachTexts(): LocalizedText[] {
  return [
    ...CONCEPTS.flatMap((c) => [c.title, c.short, c.body]),
    TEACHERS.title,
    TEACHERS.body,
    ...Object.values(WALK_TEXTS).flatMap((w) => [w.title, w.body]),
  ];
}
