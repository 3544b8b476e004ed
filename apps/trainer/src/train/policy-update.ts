/**
 * The two log-prob passes of an RL step (spec §4.2 steps 3–5), both through ONE given head:
 * 1. `computeOldLogProbs`: no gradient, every micro-batch of every mini-batch, plus the full-policy entropy;
 * 2. `updateOnMiniBatch`: per micro-batch new log-probs with gradient, clipped surrogate with dual clip, loss
 *    scaled so that the accumulated gradient is that of ONE exact aggregate over the whole mini-batch
 *    (token-mean: Σ m·ℓ / Σ m over the mini-batch, spec §4.6), then clip-norm + AdamW (or skip if non-finite).
 */
import type { LossAggMode } from "@bupo/shared";
import * as tf from "@tensorflow/tfjs";
import type { NamedParameter } from "../model/weights.ts";
import { type ClippedPolicyLossOptions, getPolicyLoss } from "../rl/policy-loss.ts";
import type { AdamW } from "./adamw.ts";
import {
  disposeMicroBatchTensors,
  type MicroBatch,
  type MicroBatchTensors,
  uploadMicroBatch,
} from "./batching.ts";
import {
  accumulateGrads,
  clipAndStep,
  type GradMap,
  lossAndGrads,
  type OptimizerStepResult,
} from "./gradients.ts";
import type { PolicyHead } from "./policy-head.ts";
import { responseLogProbs } from "./response-log-probs.ts";
import type { LoadedModel, ModelFns } from "./types.ts";

/** Which pass asked for log-probs through which head (test instrumentation). */
export interface LogProbTrace {
  pass: "old" | "update";
  head: PolicyHead;
  miniBatch: number;
  microBatch: number;
}

export interface PreparedMicroBatch {
  mb: MicroBatch;
  t: MicroBatchTensors;
  /** [B, R] old log-probs (θ_old, same head), no gradient. */
  oldLogp: tf.Tensor2D;
}

export interface PreparedMiniBatch {
  micro: PreparedMicroBatch[];
  numTokens: number;
  numRows: number;
}

export interface OldLogProbResult {
  miniBatches: PreparedMiniBatch[];
  /** Token-mean entropy of the full policy over all response tokens (verl `actor/entropy`). */
  entropy: number;
}

/** Uploads every micro-batch and computes its old log-probs. The caller disposes with {@link disposePrepared}. */
export async function computeOldLogProbs(
  fns: Pick<ModelFns, "forward">,
  model: LoadedModel,
  miniBatches: readonly MicroBatch[][],
  head: PolicyHead,
  temperature: number,
  trace?: (e: LogProbTrace) => void,
): Promise<OldLogProbResult> {
  const prepared: PreparedMiniBatch[] = [];
  let entropySum = 0;
  let tokens = 0;
  try {
    for (const [i, micro] of miniBatches.entries()) {
      const mini: PreparedMiniBatch = { micro: [], numTokens: 0, numRows: 0 };
      prepared.push(mini);
      for (const [j, mb] of micro.entries()) {
        trace?.({ pass: "old", head, miniBatch: i, microBatch: j });
        const t = uploadMicroBatch(mb);
        const { oldLogp, entSum } = tf.tidy(() => {
          const r = responseLogProbs(fns, model, mb, t, head, temperature, true);
          return { oldLogp: r.logp, entSum: tf.sum(tf.mul(r.entropy as tf.Tensor2D, t.mask)) };
        });
        mini.micro.push({ mb, t, oldLogp });
        entropySum += (await entSum.data())[0] as number;
        entSum.dispose();
        mini.numTokens += mb.numTokens;
        mini.numRows += mb.numRows;
        tokens += mb.numTokens;
      }
    }
  } catch (err) {
    disposePrepared(prepared);
    throw err;
  }
  return { miniBatches: prepared, entropy: tokens > 0 ? entropySum / tokens : 0 };
}

export function disposePrepared(miniBatches: readonly PreparedMiniBatch[]): void {
  for (const mini of miniBatches) {
    for (const m of mini.micro) {
      disposeMicroBatchTensors(m.t);
      m.oldLogp.dispose();
    }
  }
}

/**
 * Weight of one micro-batch's aggregate in the mini-batch aggregate, so that Σ_micro scale·agg(micro) equals
 * agg(mini-batch) exactly (1 when the mini-batch is a single micro-batch).
 */
export function microBatchLossScale(mode: LossAggMode, micro: MicroBatch, mini: PreparedMiniBatch): number {
  switch (mode) {
    case "token-mean":
      return mini.numTokens > 0 ? micro.numTokens / mini.numTokens : 0;
    case "seq-mean-token-sum":
    case "seq-mean-token-mean":
      return mini.numRows > 0 ? micro.numRows / mini.numRows : 0;
    case "seq-mean-token-sum-norm":
      return 1; // Σ m·ℓ / R with the same padded R in every micro-batch of a mini-batch
  }
}

export interface UpdateResult extends OptimizerStepResult {
  /** Mini-batch loss (the aggregate that was differentiated). */
  pgLoss: number;
  pgClipfrac: number;
  pgClipfracLower: number;
  ppoKl: number;
}

export interface UpdateContext {
  fns: Pick<ModelFns, "forward">;
  model: LoadedModel;
  params: readonly NamedParameter[];
  /** Receives the clipped, accumulated gradients (AdamW in production). */
  optimizer: Pick<AdamW, "step">;
  temperature: number;
  gradClip: number;
  policyLoss: string;
  lossOptions: ClippedPolicyLossOptions;
  trace?: (e: LogProbTrace) => void;
}

/** One optimizer update on one mini-batch (gradient accumulation over its micro-batches). */
export async function updateOnMiniBatch(
  ctx: UpdateContext,
  mini: PreparedMiniBatch,
  miniIndex: number,
  head: PolicyHead,
): Promise<UpdateResult> {
  const lossFn = getPolicyLoss(ctx.policyLoss);
  const grads: GradMap = new Map();
  const sums = { pgLoss: 0, pgClipfrac: 0, pgClipfracLower: 0, ppoKl: 0 };
  try {
    for (const [j, m] of mini.micro.entries()) {
      ctx.trace?.({ pass: "update", head, miniBatch: miniIndex, microBatch: j });
      const scale = microBatchLossScale(ctx.lossOptions.aggMode, m.mb, mini);
      const tokenWeight = mini.numTokens > 0 ? m.mb.numTokens / mini.numTokens : 0;
      const r = await lossAndGrads(
        ctx.params,
        () => {
          const { logp } = responseLogProbs(ctx.fns, ctx.model, m.mb, m.t, head, ctx.temperature);
          const out = lossFn(m.oldLogp, logp, m.t.advantages, m.t.mask, ctx.lossOptions);
          const metrics = out.metrics;
          return {
            loss: scale === 1 ? out.loss : (tf.mul(out.loss, scale) as tf.Scalar),
            keep: [metrics["actor/pg_clipfrac"], metrics["actor/pg_clipfrac_lower"], metrics["actor/ppo_kl"]],
          };
        },
        async (kept) => Promise.all(kept.map(async (t) => (await t.data())[0] as number)),
      );
      accumulateGrads(grads, r.grads);
      const [clipfrac, clipfracLower, kl] = r.extra as [number, number, number];
      sums.pgLoss += r.loss;
      sums.pgClipfrac += clipfrac * tokenWeight;
      sums.pgClipfracLower += clipfracLower * tokenWeight;
      sums.ppoKl += kl * tokenWeight;
    }
  } catch (err) {
    tf.dispose([...grads.values()]);
    throw err;
  }
  const step = await clipAndStep(ctx.optimizer, grads, ctx.gradClip);
  return { ...step, ...sums };
}
