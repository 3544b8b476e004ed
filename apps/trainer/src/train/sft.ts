/**
 * Supervised warm start (not in the paper, which starts from pretrained models): teacher-forced cross-entropy on
 * the task's target responses (`\boxed{answer}` + EOS), token-mean over all target tokens of the batch, prompt
 * tokens excluded. Gives a fresh tiny model the answer format so RL starts from a non-zero reward.
 * Same machinery as the RL update: micro-batches with exact gradient accumulation, clip-norm, AdamW, full head.
 */
import * as tf from "@tensorflow/tfjs";
import type { NamedParameter } from "../model/weights.ts";
import type { AdamW } from "./adamw.ts";
import {
  buildMicroBatches,
  disposeMicroBatchTensors,
  type SequencePair,
  uploadMicroBatch,
} from "./batching.ts";
import { accumulateGrads, clipAndStep, type GradMap, lossAndGrads } from "./gradients.ts";
import { responseLogProbs } from "./response-log-probs.ts";
import { encodePrompt } from "./rollout.ts";
import type { LoadedModel, ModelFns, TrainingProblem, TrainingTask, TrainTokenizer } from "./types.ts";

export interface SftContext {
  model: LoadedModel;
  params: readonly NamedParameter[];
  optimizer: AdamW;
  task: TrainingTask;
  tokenizer: TrainTokenizer;
  fns: Pick<ModelFns, "forward">;
  microBatchSize: number;
  gradClip: number;
  maxPromptTokens: number;
  maxResponseTokens: number;
}

export interface SftStepResult {
  step: number;
  /** Mean cross-entropy per target token (nats). */
  loss: number;
  gradNorm: number;
  skipped: boolean;
  numTokens: number;
}

/** Prompt and target ids (`encodeResponse`: target + EOS, cut at `maxResponseTokens`) of warm-start problems. */
export function sftPairs(
  ctx: Pick<SftContext, "tokenizer" | "maxPromptTokens" | "maxResponseTokens" | "task">,
  problems: readonly TrainingProblem[],
): SequencePair[] {
  return problems.map((p) => {
    if (p.target === undefined) throw new Error("warm-start problems need a target response");
    return {
      promptIds: encodePrompt(ctx.tokenizer, p.prompt, ctx.maxPromptTokens, ctx.task.promptOptions),
      responseIds: ctx.tokenizer.encodeResponse(p.target).slice(0, ctx.maxResponseTokens),
    };
  });
}

/** One warm-start optimizer step on `batchSize` problems of stream step `step` (1-based). */
export async function runSftStep(ctx: SftContext, step: number, batchSize: number): Promise<SftStepResult> {
  if (!ctx.task.sftBatch) throw new Error(`task ${ctx.task.name} has no warm-start targets`);
  const pairs = sftPairs(ctx, ctx.task.sftBatch(step, batchSize));
  const micro = buildMicroBatches(
    pairs,
    pairs.map((_, i) => i),
    { microBatchSize: ctx.microBatchSize, padId: ctx.tokenizer.padId },
  );
  const total = micro.reduce((n, mb) => n + mb.numTokens, 0);
  const grads: GradMap = new Map();
  let loss = 0;
  try {
    for (const mb of micro) {
      const t = uploadMicroBatch(mb);
      try {
        const r = await lossAndGrads(
          ctx.params,
          () => {
            const { logp } = responseLogProbs(ctx.fns, ctx.model, mb, t, { kind: "final" }, 1); // [B, R]
            return { loss: tf.div(tf.neg(tf.sum(tf.mul(logp, t.mask))), Math.max(total, 1)) as tf.Scalar };
          },
          async () => undefined,
        );
        accumulateGrads(grads, r.grads);
        loss += r.loss;
      } finally {
        disposeMicroBatchTensors(t);
      }
    }
  } catch (err) {
    tf.dispose([...grads.values()]);
    throw err;
  }
  const s = await clipAndStep(ctx.optimizer, grads, ctx.gradClip);
  return { step, loss, gradNorm: s.gradNorm, skipped: s.skipped, numTokens: total };
}
