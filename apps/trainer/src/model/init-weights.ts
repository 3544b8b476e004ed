/**
 * Deterministic weight initialisation (transformers `_init_weights`): linear and embedding weights
 * ~ N(0, initializerRange²), biases 0, RMSNorm weights 1. Each tensor gets its own seed derived from
 * (seed, tensor index), so the result does not depend on the backend or on call order.
 */
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./config.ts";
import { buildWeights, type ModelWeights } from "./weights.ts";

/** Builds fresh variables. Caller owns them (`disposeWeights`). */
export function initWeights(config: ModelConfig, seed: number): ModelWeights {
  let index = 0;
  return buildWeights(config, (spec) => {
    const tensorSeed = Math.abs(Math.floor(seed)) * 100_003 + index++;
    switch (spec.init) {
      case "normal":
        return tf.randomNormal(spec.shape, 0, config.initializerRange, "float32", tensorSeed);
      case "ones":
        return tf.ones(spec.shape);
      case "zeros":
        return tf.zeros(spec.shape);
    }
  });
}
