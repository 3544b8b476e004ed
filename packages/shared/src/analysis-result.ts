/**
 * Result of an entropy-analysis job (run kind "analysis"): internal-policy entropies of a model, pooled over
 * the probed positions of a sample of prompts (token-weighted, bupo-spec §3.2), per layer and module.
 */
import { z } from "zod";
import { LayerEntropySchema } from "./metrics.ts";

export const AnalysisResultSchema = z.object({
  layers: LayerEntropySchema,
  /** Mean entropy (nats) of the model's own policy over the same positions. */
  finalEntropy: z.number().min(0),
  numSamples: z.int().min(0),
  /** Which positions were pooled: the responses (default), or the prompts when there are none. */
  positions: z.enum(["response", "prompt", "all"]),
  note: z.string().max(500).optional(),
  /** Mean reward of the probed responses, when the task can grade them. */
  meanReward: z.number().min(0).max(1).optional(),
  model: z.object({
    family: z.string(),
    numLayers: z.int().min(1),
    hiddenSize: z.int().min(1),
    vocabSize: z.int().min(1),
    parameters: z.int().min(0),
  }),
});
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;
