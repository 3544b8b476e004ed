/** Typed wrapper around `tf.tidy` for functions returning plain objects/arrays of tensors (and numbers). */
import * as tf from "@tensorflow/tfjs";

/**
 * Like `tf.tidy`, but keeps the static type of a structured result. Every tensor reachable in the result is kept;
 * everything else created inside is disposed. `fn` must be synchronous.
 */
export function tidyObject<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
