/**
 * Clipped policy-gradient loss (PPO clip + dual clip), verl `compute_policy_loss_vanilla`; bupo-spec §4.3/§5.2.
 *
 *   r        = clamp(logp − oldLogp, −logRatioClamp, +logRatioClamp)      (log-ratio, clamp 20)
 *   ρ        = exp(r)
 *   ℓ₁ = −Â·ρ,  ℓ₂ = −Â·clip(ρ, 1−ε_low, 1+ε_high),  ℓ = max(ℓ₁, ℓ₂)
 *   if Â < 0:  ℓ = min(ℓ, −Â·c)                                           (dual clip, c = 10: cap c·|Â|)
 *   loss     = aggregateLoss(ℓ, mask, aggMode)
 * Metrics (verl names): `actor/pg_clipfrac` = masked mean of [ℓ₂ > ℓ₁]; `actor/pg_clipfrac_lower` = masked mean
 * of [max(ℓ₁,ℓ₂) > −Â·c and Â < 0]; `actor/ppo_kl` = masked mean of −r (old − new, after the clamp).
 *
 * In BuPO phase 1 both log-probs come from the internal layer policy π_k; the formula is unchanged.
 */
import { type LossAggMode, type PolicyLoss, PolicyLossSchema } from "@bupo/shared";
import * as tf from "@tensorflow/tfjs";
import { aggregateLoss } from "./aggregate.ts";
import { maskedMean } from "./masked.ts";

export interface ClippedPolicyLossOptions {
  /** ε_low: ratio clipped below at 1 − clipLow. Default 0.2. */
  clipLow: number;
  /** ε_high: ratio clipped above at 1 + clipHigh. Default 0.2. */
  clipHigh: number;
  /** Dual-clip constant c > 1 (applies to negative advantages only). Default 10. */
  dualClip: number;
  /** |log-ratio| clamp before exp. Default 20. */
  logRatioClamp: number;
  /** Loss aggregation. Default token-mean. */
  aggMode: LossAggMode;
}

export const POLICY_LOSS_METRIC_KEYS = [
  "actor/pg_clipfrac",
  "actor/ppo_kl",
  "actor/pg_clipfrac_lower",
] as const;
export type PolicyLossMetricKey = (typeof POLICY_LOSS_METRIC_KEYS)[number];

export interface PolicyLossResult {
  /** Scalar loss to differentiate. */
  loss: tf.Scalar;
  /** Scalar metrics; read them with `readScalarMetrics`. */
  metrics: Record<PolicyLossMetricKey, tf.Scalar>;
}

/** A policy loss: [B, T] log-probs, advantages and mask → scalar loss + metrics (caller disposes all). */
export type PolicyLossFn = (
  oldLogp: tf.Tensor2D,
  logp: tf.Tensor2D,
  advantages: tf.Tensor2D,
  mask: tf.Tensor2D,
  options?: Partial<ClippedPolicyLossOptions>,
) => PolicyLossResult;

export const DEFAULT_POLICY_LOSS_OPTIONS: ClippedPolicyLossOptions = {
  clipLow: 0.2,
  clipHigh: 0.2,
  dualClip: 10,
  logRatioClamp: 20,
  aggMode: "token-mean",
};

/**
 * PPO clipped surrogate with dual clip.
 * @param oldLogp    [B, T] log π_old(o_t) (no gradient; recomputed with θ_old and the same head)
 * @param logp       [B, T] log π_θ(o_t) (gradient flows through this)
 * @param advantages [B, T] Â_i broadcast on response tokens
 * @param mask       [B, T] response mask (EOS included, padding excluded)
 * @returns loss and metrics: 4 new scalars, owned by the caller. Inside `tf.variableGrads` / `tf.tidy`,
 *   `tf.keep` the metrics you want to read after the closure.
 */
export function computeClippedPolicyLoss(
  oldLogp: tf.Tensor2D,
  logp: tf.Tensor2D,
  advantages: tf.Tensor2D,
  mask: tf.Tensor2D,
  options: Partial<ClippedPolicyLossOptions> = {},
): PolicyLossResult {
  const o = { ...DEFAULT_POLICY_LOSS_OPTIONS, ...options };
  if (!(o.dualClip > 1)) throw new Error(`dualClip must be greater than 1 (got ${o.dualClip})`);
  for (const [name, t] of [
    ["logp", logp],
    ["advantages", advantages],
    ["mask", mask],
  ] as const) {
    if (t.shape.join() !== oldLogp.shape.join()) {
      throw new Error(
        `${name} has shape [${t.shape}] but oldLogp has [${oldLogp.shape}]; all must be [B, T]`,
      );
    }
  }

  const [loss, clipfrac, ppoKl, clipfracLower] = tf.tidy(() => {
    const { lossMat, logRatio, unclippedLoss, clippedLoss, ppoLoss, dualClipLoss, negative } = clippedTerms(
      oldLogp,
      logp,
      advantages,
      o,
    );
    const asFloat = (b: tf.Tensor) => tf.cast(b, "float32");
    return [
      aggregateLoss(lossMat, mask, o.aggMode),
      maskedMean(asFloat(tf.greater(clippedLoss, unclippedLoss)), mask) as tf.Scalar,
      maskedMean(tf.neg(logRatio), mask) as tf.Scalar,
      maskedMean(asFloat(tf.logicalAnd(tf.greater(ppoLoss, dualClipLoss), negative)), mask) as tf.Scalar,
    ] as const;
  });
  return {
    loss,
    metrics: {
      "actor/pg_clipfrac": clipfrac,
      "actor/ppo_kl": ppoKl,
      "actor/pg_clipfrac_lower": clipfracLower,
    },
  };
}

/** All intermediate [B, T] terms of the clipped loss (not tidied: call inside a tidy). */
function clippedTerms(
  oldLogp: tf.Tensor2D,
  logp: tf.Tensor2D,
  advantages: tf.Tensor2D,
  o: Pick<ClippedPolicyLossOptions, "clipLow" | "clipHigh" | "dualClip" | "logRatioClamp">,
) {
  const logRatio = tf.clipByValue(tf.sub(logp, oldLogp), -o.logRatioClamp, o.logRatioClamp); // [B, T]
  const ratio = tf.exp(logRatio); // [B, T]
  const negAdv = tf.neg(advantages); // [B, T]
  const unclippedLoss = tf.mul(negAdv, ratio); // [B, T]  −Â·ρ
  const clippedLoss = tf.mul(negAdv, tf.clipByValue(ratio, 1 - o.clipLow, 1 + o.clipHigh)); // [B, T]
  const ppoLoss = tf.maximum(unclippedLoss, clippedLoss); // [B, T]
  const dualClipLoss = tf.mul(negAdv, o.dualClip); // [B, T]  c·|Â| where Â < 0
  const negative = tf.less(advantages, 0); // [B, T] bool
  const lossMat = tf.where(negative, tf.minimum(ppoLoss, dualClipLoss), ppoLoss) as tf.Tensor2D; // [B, T]
  return { lossMat, logRatio, unclippedLoss, clippedLoss, ppoLoss, dualClipLoss, negative };
}

/**
 * The per-token loss matrix ℓ [B, T] of the clipped surrogate, before aggregation (for inspection and tests).
 * Caller disposes.
 */
export function clippedPolicyLossMatrix(
  oldLogp: tf.Tensor2D,
  logp: tf.Tensor2D,
  advantages: tf.Tensor2D,
  options: Partial<ClippedPolicyLossOptions> = {},
): tf.Tensor2D {
  const o = { ...DEFAULT_POLICY_LOSS_OPTIONS, ...options };
  return tf.tidy(() => clippedTerms(oldLogp, logp, advantages, o).lossMat);
}

const POLICY_LOSSES: Record<PolicyLoss, PolicyLossFn> = {
  vanilla: computeClippedPolicyLoss,
};

/** Look up a policy loss by name (`rl.policyLoss`); unknown names throw listing the valid ones. */
export function getPolicyLoss(name: string): PolicyLossFn {
  const parsed = PolicyLossSchema.safeParse(name);
  if (!parsed.success) {
    throw new Error(`Unknown policy loss "${name}"; valid losses: ${PolicyLossSchema.options.join(", ")}`);
  }
  return POLICY_LOSSES[parsed.data];
}

/** Read scalar tensors into numbers and dispose them. */
export async function readScalarMetrics<K extends string>(
  metrics: Record<K, tf.Scalar>,
): Promise<Record<K, number>> {
  const keys = Object.keys(metrics) as K[];
  const values = await Promise.all(keys.map((k) => metrics[k].data()));
  const out = {} as Record<K, number>;
  keys.forEach((k, i) => {
    out[k] = (values[i] as ArrayLike<number>)[0] as number;
    metrics[k].dispose();
  });
  return out;
}
