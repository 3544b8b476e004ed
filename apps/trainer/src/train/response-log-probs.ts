/**
 * Log-probabilities of the response tokens under one policy head (spec §4.2 steps 3 and 5): a teacher-forced
 * forward of [prompt | response], logits at positions P−1 … P+R−2 (next-token shift), divided by the sampling
 * temperature, log-softmax, pick the sampled ids. Used with NO gradient for the old log-probs and inside
 * `variableGrads` for the new ones — the same function, so the two are bit-identical at θ = θ_old.
 */
import * as tf from "@tensorflow/tfjs";
import { entropyFromLogits } from "../tensor/fused-ops.ts";
import { logProbsOfTokens } from "../tensor/log-probs.ts";
import { tidyObject } from "../tensor/tidy.ts";
import type { MicroBatch, MicroBatchTensors } from "./batching.ts";
import { headForwardOptions, type PolicyHead } from "./policy-head.ts";
import type { LoadedModel, ModelFns } from "./types.ts";

export interface ResponseLogProbs {
  /** [B, R] log π_head(o_t | prompt, o_<t); padding entries are meaningless (mask them). */
  logp: tf.Tensor2D;
  /** [B, R] entropy of the FULL policy π at each response position (only when asked). */
  entropy?: tf.Tensor2D;
}

/**
 * Caller owns the result (call inside a tidy / variableGrads, or dispose).
 * @param withEntropy also return the full-policy entropy (verl `actor/entropy` uses the final head in both phases)
 */
export function responseLogProbs(
  fns: Pick<ModelFns, "forward">,
  model: LoadedModel,
  mb: MicroBatch,
  t: MicroBatchTensors,
  head: PolicyHead,
  temperature: number,
  withEntropy = false,
): ResponseLogProbs {
  return tidyObject((): ResponseLogProbs => {
    const out = fns.forward(model.weights, model.config, t.ids, {
      ...headForwardOptions(head),
      temperature,
      attentionMask: mb.attentionMask,
    });
    const headLogits = head.kind === "internal" ? out.internalLogits : out.logits; // [B, T, V]
    if (headLogits === undefined) throw new Error("forward returned no internal-layer logits");
    const [B, , V] = headLogits.shape;
    const P = mb.promptWidth;
    const R = mb.responseWidth;
    const scoring = tf.slice(headLogits, [0, P - 1, 0], [B, R, V]) as tf.Tensor3D; // [B, R, V]
    const logp = logProbsOfTokens(scoring, t.targets); // [B, R]
    if (!withEntropy) return { logp };
    const finalScoring = tf.slice(out.logits, [0, P - 1, 0], [B, R, V]) as tf.Tensor3D; // [B, R, V]
    return { logp, entropy: entropyFromLogits(finalScoring) as tf.Tensor2D }; // [B, R]
  });
}
