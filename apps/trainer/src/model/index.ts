/**
 * Public API of the model core (decoder-only Qwen3 / Qwen2 / Llama-3 transformer on the TF.js ops API).
 *
 * Typical use (BuPO / GRPO training):
 * ```ts
 * await initBackend();                                     // backend/
 * const config = modelPreset("tiny", "qwen3", vocabSize);
 * const weights = initWeights(config, seed);               // or loadHfCheckpoint(dir) from checkpoint/
 * const vars = namedParameters(weights, config);           // HF names ↔ tf.Variable, for optimizers / grad checks
 * const { tokens } = await generate(weights, config, prompts, { maxNewTokens: 32, seed }); // full policy π
 * const loss = () => tf.tidy(() => {
 *   const out = forward(weights, config, ids, { internalLayer: k });     // phase 1: π_k; phase 2: omit / k = L−1
 *   const head = out.internalLogits ?? out.logits;                        // [B, T, V]
 *   const logp = nextTokenLogProbs(head, ids);                            // [B, T−1]
 *   return ...scalar;
 * });
 * ```
 * Conventions: tensors are [B, T, …]; `internalLayer` is the repo's 0-based k (paper layer k+1);
 * every function returning tensors hands ownership to the caller (dispose, or call inside tf.tidy).
 */

export { entropyFromLogits } from "../tensor/fused-ops.ts";
export { logProbsOfTokens, nextTokenLogProbs } from "../tensor/log-probs.ts";
export {
  countParameters,
  type Llama3RopeScaling,
  type ModelConfig,
  type ModelConfigInput,
  ModelConfigSchema,
  type ModelFamily,
  ModelFamilySchema,
  parseModelConfig,
} from "./config.ts";
export {
  type DecoderOptions,
  type DecoderOutput,
  disposeKvCache,
  type KvCache,
  type ModuleRecord,
  runDecoder,
} from "./decoder.ts";
export {
  disposeForwardResult,
  type ForwardOptions,
  type ForwardResult,
  forward,
  toTokenTensor,
  unembed,
} from "./forward.ts";
export { type FinishReason, type GenerateOptions, type GenerateResult, generate } from "./generate.ts";
export { initWeights } from "./init-weights.ts";
export { rmsNorm } from "./layers.ts";
export { familyDefaults, type ModelPresetName, modelPreset } from "./presets.ts";
export { createRng } from "./sampling.ts";
export {
  type AttentionWeights,
  buildWeights,
  disposeWeights,
  type LayerWeights,
  type MlpWeights,
  type ModelWeights,
  type NamedParameter,
  namedParameters,
  type WeightSpec,
  weightSpecs,
} from "./weights.ts";
