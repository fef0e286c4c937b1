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
