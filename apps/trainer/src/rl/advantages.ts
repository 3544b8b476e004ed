/**
 * Outcome-reward advantage estimators (verl `core_algos.compute_grpo_outcome_advantage`, bupo-spec §5.1).
 *
 * GRPO: for the responses of one prompt (same group id),
 *   Â_i = (R_i − mean_group(R)) / (std_group(R) + ε)   with the UNBIASED std (N−1, torch.std), ε = 1e-6;
 *   a group of one response uses mean 0, std 1 (so Â = R); all-equal groups give Â = 0 (kept, not filtered).
 * With `normByStd = false` only the mean is subtracted (Dr.GRPO, https://arxiv.org/abs/2503.20783).
 * The per-response value is broadcast onto every response token by `broadcastToTokens` (A_{i,t} = Â_i·m_{i,t}).
 *
 * Advantages are computed on plain arrays (grouping by id is a host-side loop in verl too); only the
 * broadcast creates a tensor.
 */
import { type AdvantageEstimator, AdvantageEstimatorSchema } from "@bupo/shared";
import * as tf from "@tensorflow/tfjs";

/** A prompt/group identifier (verl `uid`). */
export type GroupId = string | number;

export interface GrpoAdvantageOptions {
  /** Divide by the group std (+eps); false = Dr.GRPO. Default true. */
  normByStd: boolean;
  /** Added to the std. Default 1e-6. */
  eps: number;
}

export interface AdvantageResult {
  /** [B] per-response advantage Â_i. */
  advantages: Float32Array;
  /** [B] returns; equal to the advantages for outcome-reward GRPO (verl returns the same tensor twice). */
  returns: Float32Array;
}

/** An advantage estimator: per-response scalar rewards [B] and group ids [B] → per-response advantages. */
export type AdvantageEstimatorFn = (
  rewards: ArrayLike<number>,
  groupIds: ArrayLike<GroupId>,
  options?: Partial<GrpoAdvantageOptions>,
) => AdvantageResult;

/** Indices of each group, in first-seen order. */
export function groupIndices(groupIds: ArrayLike<GroupId>): Map<GroupId, number[]> {
  const groups = new Map<GroupId, number[]>();
  for (let i = 0; i < groupIds.length; i++) {
    const id = groupIds[i] as GroupId;
    const members = groups.get(id);
    if (members) members.push(i);
    else groups.set(id, [i]);
  }
  return groups;
}

/** Mean and unbiased std of a group; a group of one gives mean 0, std 1 (verl convention). */
function groupMoments(values: number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 1) return { mean: 0, std: 1 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sq = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, std: Math.sqrt(sq / (n - 1)) };
}

/**
 * GRPO outcome advantage.
 * @param rewards  [B] scalar reward per response (Σ of its token-level rewards)
 * @param groupIds [B] prompt id per response
 */
export function computeGrpoOutcomeAdvantage(
  rewards: ArrayLike<number>,
  groupIds: ArrayLike<GroupId>,
  options: Partial<GrpoAdvantageOptions> = {},
): AdvantageResult {
  const { normByStd = true, eps = 1e-6 } = options;
  if (rewards.length !== groupIds.length) {
    throw new Error(
      `rewards (${rewards.length}) and groupIds (${groupIds.length}) must have the same length`,
    );
  }
  const advantages = new Float32Array(rewards.length);
  for (const members of groupIndices(groupIds).values()) {
    const { mean, std } = groupMoments(members.map((i) => rewards[i] as number));
    for (const i of members) {
      const centred = (rewards[i] as number) - mean;
      advantages[i] = normByStd ? centred / (std + eps) : centred;
    }
  }
  return { advantages, returns: advantages.slice() };
}

const ESTIMATORS: Record<AdvantageEstimator, AdvantageEstimatorFn> = {
  grpo: computeGrpoOutcomeAdvantage,
};

/** Look up an estimator by name (`rl.advantage`); unknown names throw listing the valid ones. */
export function getAdvantageEstimator(name: string): AdvantageEstimatorFn {
  const parsed = AdvantageEstimatorSchema.safeParse(name);
  if (!parsed.success) {
    throw new Error(
      `Unknown advantage estimator "${name}"; valid estimators: ${AdvantageEstimatorSchema.options.join(", ")}`,
    );
  }
  return ESTIMATORS[parsed.data];
}

/**
 * A_{i,t} = Â_i · mask_{i,t}.
 * @param advantages [B] per-response advantages
 * @param mask       [B, T] response mask
 * @returns [B, T] (caller disposes)
 */
export function broadcastToTokens(advantages: ArrayLike<number>, mask: tf.Tensor2D): tf.Tensor2D {
  const [B] = mask.shape;
  if (advantages.length !== B) {
    throw new Error(`advantages has ${advantages.length} entries but mask has ${B} rows`);
  }
  return tf.tidy(() => tf.mul(tf.tensor2d(Array.from(advantages), [B, 1]), mask)); // [B, T]
}

/** Group statistics for metrics: `frac_reward_zero_std` = share of groups whose rewards are all equal. */
export function groupRewardStats(
  rewards: ArrayLike<number>,
  groupIds: ArrayLike<GroupId>,
): { numGroups: number; fracRewardZeroStd: number } {
  const groups = [...groupIndices(groupIds).values()];
  const flat = groups.filter((members) => members.every((i) => rewards[i] === rewards[members[0] as number]));
  return { numGroups: groups.length, fracRewardZeroStd: groups.length ? flat.length / groups.length : 0 };
}
