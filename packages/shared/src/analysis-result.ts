/**
 * Result of an entropy-analysis job (run kind "analysis"): internal-policy entropies of a model, pooled over
 * the probed positions of a sample of prompts (token-weighted, bupo-spec §3.2), per layer and module; the
 * spread of per-sample entropies across samples; and, bounded, a token × layer logit-lens view of the first
 * samples (decoded tokens, entropy and top-k per cell) for the run page.
 */
import { z } from "zod";
import { LayerEntropySchema } from "./metrics.ts";

/** Bounds of the stored token views: they live in the run's database row. */
export const TOKEN_VIEW_LIMITS = { samples: 4, positions: 64, cells: 4096, topK: 5 } as const;

/** Per-depth spread across samples of each sample's own mean entropy (over its pooled positions). */
const DepthSpreadSchema = z.object({
  std: z.array(z.number().min(0)),
  q25: z.array(z.number()),
  median: z.array(z.number()),
  q75: z.array(z.number()),
});
export type DepthSpread = z.infer<typeof DepthSpreadSchema>;

export const AnalysisSpreadSchema = z.object({
  /** Samples with at least one pooled position. */
  samples: z.int().min(1),
  /** Residual stream h_0..h_L (L+1 entries). */
  residual: DepthSpreadSchema,
  /** Attention / FFN outputs of layers 1..L (L entries). */
  attnOutput: DepthSpreadSchema,
  ffnOutput: DepthSpreadSchema,
});
export type AnalysisSpread = z.infer<typeof AnalysisSpreadSchema>;

const TokenCellSchema = z.object({
  tokens: z.array(z.string().max(64)).max(TOKEN_VIEW_LIMITS.topK),
  probs: z.array(z.number().min(0).max(1)).max(TOKEN_VIEW_LIMITS.topK),
  entropy: z.number().min(0),
});

/** Logit lens of one probed sample: rows = residual stream after 0..L layers, columns = positions. */
export const TokenViewSchema = z.object({
  prompt: z.string().max(500),
  answer: z.string().max(500),
  /** Input token at each shown position (the first shown position predicts the first pooled token). */
  positionTokens: z.array(z.string().max(64)).max(TOKEN_VIEW_LIMITS.positions),
  rows: z.array(z.array(TokenCellSchema).max(TOKEN_VIEW_LIMITS.positions)),
});
export type TokenView = z.infer<typeof TokenViewSchema>;

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
  /** Spread across samples (absent in results stored before it existed). */
  spread: AnalysisSpreadSchema.optional(),
  /** Token × layer views of the first samples, at most TOKEN_VIEW_LIMITS.cells cells in all (in-memory jobs). */
  tokenViews: z.array(TokenViewSchema).max(TOKEN_VIEW_LIMITS.samples).optional(),
});
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;
