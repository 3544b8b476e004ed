/**
 * On-demand logit lens of a run's checkpoint (the run page asks for it): one prompt of the run's task, one
 * answer sampled from the checkpoint's full policy, then top-k predictions and entropy for every (layer,
 * answer position). Needs the run's folder on this trainer (or shared storage).
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { LogitLensInputSchema, LogitLensResult } from "@bupo/shared/run-queries";
import type { z } from "zod";
import { logitLens } from "../analysis/logit-lens.ts";
import type { RunFiles } from "../files/run-files.ts";
import { disposeWeights } from "../model/weights.ts";
import { ProbeInputError } from "../probe/input-error.ts";
import { loadCheckpointModel } from "../probe/model-source.ts";
import { builtinTaskSamples } from "../probe/task-samples.ts";

const MAX_POSITIONS = 48;

/** The logit lens of run `input.runId`'s newest checkpoint at or before `input.step`, opened through `files`. */
export async function logitLensOfRun(
  files: RunFiles,
  input: z.output<typeof LogitLensInputSchema>,
): Promise<LogitLensResult> {
  const checkpoint = await files.runCheckpoint(input.runId, input.step, "upTo");
  const model = await files.loadModel(
    { source: "run-checkpoint", runId: input.runId, step: checkpoint.step },
    loadCheckpointModel,
  );
  try {
    const tokenizer = model.tokenizer;
    const config = JSON.parse(
      await fs.readFile(path.join(checkpoint.dir, "bupo_run_config.json"), "utf8"),
    ) as {
      task?: { source: string; name?: string; difficulty?: number };
      seed?: number;
      rl?: { maxResponseTokens?: number };
    };
    if (!tokenizer || config.task?.source !== "builtin" || !config.task.name) {
      throw new ProbeInputError("the logit lens needs a built-in-task checkpoint with its tokenizer");
    }
    const set = await builtinTaskSamples(
      { name: config.task.name as "addition", difficulty: config.task.difficulty ?? 2 },
      model,
      {
        sampleSize: 1,
        temperature: 1,
        maxResponseTokens: config.rl?.maxResponseTokens ?? 32,
        seed: (config.seed ?? 0) + checkpoint.step,
      },
    );
    const sample = set.samples[0]!;
    const [start, end] = sample.range;
    const from = Math.max(0, start - 1); // the last prompt token predicts the first answer token
    const positions = Array.from({ length: Math.min(end, from + MAX_POSITIONS) - from }, (_, i) => from + i);
    const grid = await logitLens(model.weights, model.config, sample.tokens, {
      topK: input.topK,
      lens: input.lens,
      positions,
    });
    return {
      step: checkpoint.step,
      prompt: tokenizer.decode(sample.tokens.slice(0, start)),
      answer: tokenizer.decode(sample.tokens.slice(start, end)),
      positionTokens: positions.map((p) => tokenizer.label(sample.tokens[p]!)),
      rows: grid.cells.map((row) =>
        row.map((cell) => ({
          tokens: cell.tokenIds.map((id) => tokenizer.label(id)),
          probs: cell.probs,
          entropy: cell.entropy,
        })),
      ),
      lens: input.lens,
    };
  } finally {
    disposeWeights(model.weights);
  }
}
