import * as tf from '@tensorflow/tfjs';

/**
 * Keras's binary cross-entropy with an explicit ε. tfjs's own version clips with the backend epsilon, which is 1e-4 on
 * WebGL; Keras clips with 1e-7 everywhere, so we pass it ourselves.
 */
export function binaryCrossEntropy(yTrue: tf.Tensor, yPred: tf.Tensor, epsilon = 1e-7): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.clipByValue(yPred, epsilon, 1 - epsilon);
    const terms = tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(terms)) as tf.Scalar;
  });
}

/** Keras's binary accuracy: the share of predictions on the right side of 0.5. */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, threshold = 0.5): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(yTrue, tf.cast(tf.greater(yPred, threshold), 'float32')), 'float32')) as tf.Scalar);
}

/**
 * `binaryCrossEntropy` for a batch whose labels are all `label`, as in every GAN step (real = 1, fake = 0). With a
 * constant label one of the two log terms is multiplied by exactly 0, so dropping it gives the same value and the
 * same gradient, with the same ε clip, for a third of the kernels.
 */
export function binaryCrossEntropyConstantLabel(label: 0 | 1, yPred: tf.Tensor, epsilon = 1e-7): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.clipByValue(yPred, epsilon, 1 - epsilon);
    return tf.neg(tf.mean(label === 1 ? tf.log(p) : tf.log(tf.sub(1, p)))) as tf.Scalar;
  });
}

/**
 * `binaryAccuracy` for a batch whose labels are all `label`: the share of predictions on the label's side of 0.5.
 * Label 0 counts NOT(p > threshold) rather than p <= threshold, so a NaN prediction counts as the general form does.
 */
export function binaryAccuracyConstantLabel(label: 0 | 1, yPred: tf.Tensor, threshold = 0.5): tf.Scalar {
  return tf.tidy(() => {
    const above = tf.greater(yPred, threshold);
    return tf.mean(tf.cast(label === 1 ? above : tf.logicalNot(above), 'float32')) as tf.Scalar;
  });
}
