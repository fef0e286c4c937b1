import { formatShape, shapeError, shapeOk, num, pyFloat, pyStr, type NodeDef } from './types';
import type * as tf from '@tensorflow/tfjs';

/** The axes a channels-last BatchNormalization averages over: every axis but the last. */
const reductionAxes = (rank: number): number[] => Array.from({ length: rank - 1 }, (_, i) => i);

export const batchNorm: NodeDef = {
  type: 'BatchNormalization',
  category: 'layer',
  title: { en: 'BatchNormalization', ko: 'BatchNormalization (배치 정규화)' },
  summary: { en: 'Re-centres and re-scales each channel: batch statistics while training, running averages otherwise.', ko: '채널마다 평균을 0, 분산을 1로 맞춥니다. 학습 중에는 배치 통계, 그 밖에는 이동 평균을 씁니다.' },
  teach: {
    en: 'Batch normalization keeps each channel\'s values near mean 0 and variance 1, which lets the DCGAN train with deep stacks of convolutions. In training mode it normalizes with the mean and variance of the current batch (over batch, height and width) and then applies a learned scale γ and shift β: y = γ·(x − mean)/√(variance + ε) + β. It also keeps moving averages of those statistics, moving = momentum·moving + (1 − momentum)·batch value (momentum 0.99, ε 0.001 as in Keras). In inference mode — sample grids, exports, model.predict — it uses the moving averages instead, so one image\'s output does not depend on the others in its batch. γ and β are trained (2 per channel); the moving mean and variance are not trained by any optimizer (2 more per channel): the editor counts them apart.',
    ko: '배치 정규화는 채널마다 값의 평균을 0, 분산을 1 가까이에 두어, DCGAN이 합성곱을 깊게 쌓아도 학습되게 합니다. 학습 모드에서는 현재 배치의 평균과 분산(배치·높이·너비에 걸쳐)으로 정규화한 뒤 학습된 배율 γ와 이동 β를 적용합니다: y = γ·(x − 평균)/√(분산 + ε) + β. 또 이 통계들의 이동 평균을 유지합니다: 이동값 = 모멘텀·이동값 + (1 − 모멘텀)·배치값 (Keras처럼 모멘텀 0.99, ε 0.001). 추론 모드(샘플 그리드, 내보내기, model.predict)에서는 이동 평균을 써서, 한 이미지의 출력이 같은 배치의 다른 이미지에 좌우되지 않습니다. γ와 β는 학습되고(채널마다 2개), 이동 평균과 이동 분산은 어떤 옵티마이저도 학습하지 않습니다(채널마다 2개 더). 편집기는 둘을 따로 셉니다.',
  },
  inputs: [{ key: 'in', label: { en: 'in', ko: '입력' } }],
  outputs: [{ key: 'out', label: { en: 'out', ko: '출력' } }],
  messages: {
    'shape.batchNormNeedsChannels': {
      en: 'BatchNormalization needs a batch of values with a channel axis, but gets {shape}.',
      ko: 'BatchNormalization에는 채널 축이 있는 값의 배치가 필요한데 {shape}이(가) 들어옵니다.',
    },
  },
  params: [
    { key: 'momentum', kind: 'float', label: { en: 'Momentum', ko: '모멘텀' }, default: 0.99, min: 0, max: 1, help: { en: 'How slowly the moving averages follow the batch statistics.', ko: '이동 평균이 배치 통계를 얼마나 천천히 따라가는지.' } },
    { key: 'epsilon', kind: 'float', label: { en: 'ε', ko: 'ε' }, default: 0.001, min: 0, max: 1, exclusiveMin: true },
  ],
  inferShape(inputs) {
    const x = inputs.in;
    if (x.length < 2) return shapeError('shape.batchNormNeedsChannels', { shape: formatShape(x) }, 'in');
    return shapeOk({ out: [...x] });
  },
  paramCount: (inputs) => 2 * (inputs.in[inputs.in.length - 1] ?? 0),
  nonTrainableCount: (inputs) => 2 * (inputs.in[inputs.in.length - 1] ?? 0),
  build: (p, ctx) =>
    ctx.tf.layers.batchNormalization({ name: ctx.name, axis: -1, momentum: num(p, 'momentum'), epsilon: num(p, 'epsilon') }),
  // weights: gamma, beta (trained), moving mean, moving variance (not trained) — tfjs-layers' order.
  forward({ in: x }, [gamma, beta, movingMean, movingVariance], p, ctx) {
    const { tf } = ctx;
    const eps = num(p, 'epsilon');
    // Keras 3: batch statistics only in a training call of a layer that is not frozen; otherwise the moving ones.
    if (!ctx.training || ctx.frozen) return tf.batchNorm(x, movingMean, movingVariance, beta, gamma, eps);
    const { mean, variance } = tf.moments(x, reductionAxes(x.rank));
    if (ctx.updateStats) {
      // Keras 3: moving = moving·momentum + batch·(1 − momentum), with the biased batch variance. The engine assigns
      // these after the optimizer step, outside the gradient tape.
      const m = num(p, 'momentum');
      ctx.assignAfter(movingMean as tf.Variable, tf.add(tf.mul(movingMean, m), tf.mul(mean, 1 - m)));
      ctx.assignAfter(movingVariance as tf.Variable, tf.add(tf.mul(movingVariance, m), tf.mul(variance, 1 - m)));
    }
    // Plain ops rather than tf.batchNorm, so the gradient flows through the batch mean and variance.
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
  },
  keras: (p, { name }) => `layers.BatchNormalization(momentum=${pyFloat(num(p, 'momentum'))}, epsilon=${pyFloat(num(p, 'epsilon'))}, name=${pyStr(name)})`,
};
