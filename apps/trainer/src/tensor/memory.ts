/** Tensor-leak helpers for tests and debug assertions (style §8.5). */
import * as tf from "@tensorflow/tfjs";

/** Runs `fn` and reports how many tensors it left alive (0 for a leak-free function that returns plain values). */
export async function tensorDelta<T>(fn: () => T | Promise<T>): Promise<{ result: T; delta: number }> {
  const before = tf.memory().numTensors;
  const result = await fn();
  return { result, delta: tf.memory().numTensors - before };
}

/** Throws if `fn` changes `tf.memory().numTensors` by anything but `expected`. */
export async function assertTensorDelta<T>(
  fn: () => T | Promise<T>,
  expected = 0,
  label = "call",
): Promise<T> {
  const { result, delta } = await tensorDelta(fn);
  if (delta !== expected) throw new Error(`${label} changed numTensors by ${delta}, expected ${expected}`);
  return result;
}
