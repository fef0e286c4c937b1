import { shapeError, shapeOk, formatShape, type NodeDef, type Params } from './types';

/** How each network's batch norm runs where the combiner decides: the frozen D in G's stage, G making D's fakes. */
export interface CombinerBatchNorm {
  frozenBatchNorm: 'moving' | 'batch';
  fakesBatchNorm: 'moving' | 'batch';
}

/** The combiner's two batch-norm options as the trainer and the Keras export read them. */
export const combinerBatchNorm = (p: Params): CombinerBatchNorm => ({
  frozenBatchNorm: p.frozenBatchNorm === 'batch' ? 'batch' : 'moving',
  fakesBatchNorm: p.fakesBatchNorm === 'batch' ? 'batch' : 'moving',
});

export const freezingCombiner: NodeDef = {
  type: 'FreezingCombiner',
  category: 'combiner',
  title: { en: 'Freezing combiner G→D', ko: '고정 결합기 G→D' },
  summary: { en: 'Stacks the generator and a frozen discriminator into the model that trains G.', ko: '생성자와 고정된 판별자를 쌓아 G를 학습시키는 모델을 만듭니다.' },
  teach: {
    en: 'To train G we need D\'s opinion of G\'s images, so this node stacks them: z → G → D → p(real). Its loss updates only G: D is frozen during the G stage, and G is untouched during D\'s own stage. Ganvas enforces this by handing each optimizer an explicit list of the variables it may change (and its tests compare every weight before and after each stage), rather than by the Keras trick of setting D.trainable = False after compiling D, which breaks on today\'s libraries.\n\nBatch normalization follows the book\'s loop as Keras 3 runs it. D\'s stage: the fakes come from generator.predict, so G runs in inference mode (its moving statistics, which do not change); D trains on batch statistics, once on the real batch and once on the fake batch, and each step updates D\'s moving averages. G\'s stage: G runs in training mode (batch statistics, G\'s moving averages updated) through the frozen D, and Keras 3 runs a frozen BatchNormalization in inference mode, so D judges the fakes with its moving statistics and none of them change. Sample grids and exports use inference mode. The option "Frozen D\'s batch norm" offers the common alternative (older Keras, which the book was written on, and many tutorials): the frozen D normalizes with the fake batch\'s own statistics, still without updating its moving averages. The bundled conv presets use it, because with Keras 3\'s choice the book\'s loop collapses: D trains on a batch of real images and a batch of fakes separately, so in training mode each batch is normalized by its own statistics, while D\'s moving averages mix the two; the frozen D judging with those averages is a different function from the D being trained, and G learns to fool that one instead. Measured on the small DCGAN (batch 32, 2,000 iterations, WASM, scored by the digit classifier): with moving statistics D\'s accuracy stays at 100% and G draws one noise image for every z (Fréchet distance 590, 1 digit of 10); with batch statistics G draws all ten digits (Fréchet distance 48.7, Inception Score 6.05).\n\nThe option "G\'s batch norm for D\'s fakes" changes D\'s stage instead: G makes the fakes on the fake batch\'s own statistics (a training pass, as PyTorch\'s DCGAN tutorial does), still without updating its moving averages, so D\'s stage changes nothing of G either way. It matters early in a run. G\'s moving averages start at mean 0 and variance 1 and move 1% per iteration towards the real statistics, so for the first several hundred iterations generator.predict draws from a fainter G than the one being trained: D learns to reject those fakes, G\'s own training-mode images pass as real, and G gets almost no gradient. Measured on the DCGAN preset (batch 128, WASM, frozen D on batch statistics): with generator.predict\'s fakes D\'s accuracy stays at 100% and G\'s loss under 0.001 up to iteration 400, the grid is still noise at 600, and at 1,000 G covers 6 digits of 10 (Fréchet distance 148, Inception Score 3.53); with the fakes on batch statistics G\'s loss is 3.9 at iteration 100, and at 1,000 G draws all ten digits (Fréchet distance 66.9, Inception Score 5.17; 10,000 samples scored by the digit classifier). The DCGAN preset uses both alternatives. The small DCGAN keeps the book\'s predict: at 2,000 iterations it scores the same either way (Fréchet distance 48.7 and 49.0).',
    ko: 'G를 학습하려면 G의 이미지에 대한 D의 판단이 필요하므로, 이 노드는 둘을 쌓습니다: z → G → D → p(진짜). 이 손실은 G만 갱신합니다. G 단계에서는 D가 고정되고, D 단계에서는 G가 변하지 않습니다. Ganvas는 D를 컴파일한 뒤 D.trainable = False로 두는 Keras 요령(오늘날 라이브러리에서는 깨집니다) 대신, 옵티마이저마다 바꿀 수 있는 변수 목록을 명시적으로 넘겨 이를 보장하며, 테스트가 단계마다 모든 가중치를 전후로 비교합니다.\n\n배치 정규화는 Keras 3에서 책의 루프가 도는 그대로입니다. D 단계: 가짜는 generator.predict에서 나오므로 G는 추론 모드(바뀌지 않는 이동 통계)로 돕니다. D는 진짜 배치에 한 번, 가짜 배치에 한 번 배치 통계로 학습하고, 매 단계가 D의 이동 평균을 갱신합니다. G 단계: G는 학습 모드(배치 통계, G의 이동 평균 갱신)로 고정된 D를 거칩니다. Keras 3는 고정된 BatchNormalization을 추론 모드로 돌리므로, D는 이동 통계로 가짜를 판정하고 그 통계는 하나도 바뀌지 않습니다. 샘플 그리드와 내보내기는 추론 모드를 씁니다. "고정된 D의 배치 정규화" 옵션은 흔한 대안(책이 쓰인 예전 Keras와 많은 튜토리얼)입니다: 고정된 D가 가짜 배치 자체의 통계로 정규화하되, 이동 평균은 여전히 갱신하지 않습니다. 기본 제공 합성곱 프리셋은 이 방식을 씁니다. Keras 3의 방식으로는 책의 루프가 무너지기 때문입니다: D는 진짜 배치와 가짜 배치로 따로 학습하므로 학습 모드에서는 배치마다 자기 통계로 정규화되지만, D의 이동 평균은 둘이 섞인 값입니다. 그 평균으로 판정하는 고정된 D는 학습 중인 D와 다른 함수가 되고, G는 그쪽을 속이는 법을 배웁니다. 작은 DCGAN에서 잰 결과(배치 32, 2,000회 반복, WASM, 숫자 분류기로 채점): 이동 통계로는 D의 정확도가 100%에 머물고 G는 어떤 z에도 같은 잡음 이미지를 그립니다(프레셰 거리 590, 숫자 10개 중 1개). 배치 통계로는 G가 열 개 숫자를 모두 그립니다(프레셰 거리 48.7, 인셉션 점수 6.05).\n\n"D의 가짜를 만들 때 G의 배치 정규화" 옵션은 대신 D 단계를 바꿉니다: G가 가짜 배치 자체의 통계로 가짜를 만들되(PyTorch DCGAN 튜토리얼처럼 학습 모드로), 이동 평균은 여전히 갱신하지 않으므로 어느 쪽이든 D 단계는 G를 조금도 바꾸지 않습니다. 이 차이는 학습 초반에 드러납니다. G의 이동 평균은 평균 0, 분산 1에서 시작해 반복마다 1%씩 실제 통계로 다가가므로, 처음 수백 번의 반복 동안 generator.predict는 학습 중인 G보다 흐린 G에서 이미지를 뽑습니다. D는 그 가짜를 거부하도록 배우고, 학습 모드의 G가 만든 이미지는 진짜로 통과하며, G는 기울기를 거의 받지 못합니다. DCGAN 프리셋에서 잰 결과(배치 128, WASM, 고정된 D는 배치 통계): generator.predict의 가짜로는 반복 400까지 D의 정확도가 100%, G의 손실이 0.001 미만이고, 반복 600에서도 그리드는 잡음이며, 반복 1,000에서 G는 숫자 10개 중 6개를 그립니다(프레셰 거리 148, 인셉션 점수 3.53). 배치 통계의 가짜로는 반복 100에서 G의 손실이 3.9이고, 반복 1,000에서 G가 열 개 숫자를 모두 그립니다(프레셰 거리 66.9, 인셉션 점수 5.17, 숫자 분류기로 샘플 10,000개를 채점). DCGAN 프리셋은 두 대안을 모두 씁니다. 작은 DCGAN은 책의 predict를 그대로 씁니다: 2,000회 반복에서 어느 쪽이든 점수가 같습니다(프레셰 거리 48.7과 49.0).',
  },
  inputs: [
    { key: 'fake', label: { en: 'G output', ko: 'G 출력' } },
    { key: 'critic', label: { en: 'D output', ko: 'D 출력' } },
  ],
  outputs: [{ key: 'out', label: { en: 'D(G(z))', ko: 'D(G(z))' } }],
  messages: {
    'shape.combinerMismatch': { en: 'The generator makes {fake} images, but the discriminator reads {expected}.', ko: '생성자는 {fake} 이미지를 만드는데 판별자는 {expected}을(를) 읽습니다.' },
    'shape.combinerDatasetMismatch': {
      en: 'The generator makes {fake} images, but the dataset "{dataset}" has {expected}: make G end in that shape.',
      ko: '생성자는 {fake} 이미지를 만드는데 데이터셋 "{dataset}"은(는) {expected}입니다. G가 그 모양으로 끝나게 하세요.',
    },
  },
  concepts: [
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
  ],
  tooltip: () => ['freezing'],
  params: [
    {
      key: 'frozenBatchNorm',
      kind: 'enum',
      label: { en: 'Frozen D\'s batch norm', ko: '고정된 D의 배치 정규화' },
      help: {
        en: 'moving: D\'s moving statistics, as Keras 3 runs a frozen layer (the book on today\'s Keras; its loop collapses with it). batch: the fake batch\'s own statistics, as older Keras did (the presets\' choice). D\'s moving averages never change in G\'s stage either way.',
        ko: 'moving: Keras 3가 고정된 층을 돌리듯 D의 이동 통계(오늘날 Keras의 책 코드, 이 방식으로는 루프가 무너집니다). batch: 예전 Keras처럼 가짜 배치 자체의 통계(프리셋의 선택). 어느 쪽이든 G 단계에서 D의 이동 평균은 바뀌지 않습니다.',
      },
      default: 'moving',
      options: ['moving', 'batch'],
    },
    {
      key: 'fakesBatchNorm',
      kind: 'enum',
      label: { en: 'G\'s batch norm for D\'s fakes', ko: 'D의 가짜를 만들 때 G의 배치 정규화' },
      help: {
        en: 'moving: the fakes come from generator.predict, G on its moving statistics (the book). batch: G normalizes the fake batch with its own statistics, as PyTorch\'s DCGAN tutorial does; G\'s moving averages still do not change in D\'s stage.',
        ko: 'moving: 가짜는 generator.predict에서 나오며 G는 이동 통계를 씁니다(책). batch: PyTorch DCGAN 튜토리얼처럼 G가 가짜 배치를 그 배치 자체의 통계로 정규화합니다. 어느 쪽이든 D 단계에서 G의 이동 평균은 바뀌지 않습니다.',
      },
      default: 'moving',
      options: ['moving', 'batch'],
    },
  ],
  inferShape(inputs, _p, ctx) {
    // The fakes enter D where the real images do: D's image input.
    const image = ctx.upstreamInputs('critic').find((i) => i.type === 'ImageInput');
    const dInput = image?.shape;
    if (dInput && formatShape(dInput) !== formatShape(inputs.fake)) {
      // Name the dataset when D reads one: "G makes ?×28×28×1, but the dataset 'letters' has 32×32×3".
      const dataset = ctx.datasetOf?.(image.node);
      if (dataset && dataset.shape.join('×') === formatShape(dInput.slice(1))) {
        return shapeError('shape.combinerDatasetMismatch', { fake: formatShape(inputs.fake), dataset: dataset.name, expected: dataset.shape.join('×') }, 'fake');
      }
      return shapeError('shape.combinerMismatch', { fake: formatShape(inputs.fake), expected: formatShape(dInput) }, 'fake');
    }
    return shapeOk({ out: [...inputs.critic] });
  },
  paramCount: () => 0,
};
