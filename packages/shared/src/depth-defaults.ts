/**
 * The paper's settings that depend on the model's depth and family (bupo-spec §7), for a real model chosen in
 * the launch form. The repo's scripts use k = 5 for Qwen3-4B (L = 36: the 6th layer, the lowest sixth) and
 * k = 26 for Llama (layer 27 of OctoThinker-3B's 28: the layer below the top, where Llama's prediction space
 * converges abruptly); other depths keep those positions: Qwen at the lowest sixth, Llama one layer below the
 * last. S = 30 phase-1 steps of 300; prompts ≤ 1024 tokens; responses ≤ 8192 (Qwen3) or 3072 (Llama).
 */
import type { ModelFamily } from "./model-presets.ts";

export interface DepthDefaults {
  internalLayer: number;
  iterativeSteps: number;
  totalSteps: number;
  maxPromptTokens: number;
  maxResponseTokens: number;
  /** Why these values, for the form's help text. */
  reason: string;
}

/** The paper's k, S and lengths for a model of `family` with `layers` decoder layers. */
export function depthDefaults(family: ModelFamily, layers: number): DepthDefaults {
  const L = Math.max(1, Math.floor(layers));
  const common = { iterativeSteps: 30, totalSteps: 300, maxPromptTokens: 1024 };
  if (family === "llama") {
    const k = Math.max(0, L - 2);
    return {
      ...common,
      internalLayer: k,
      maxResponseTokens: 3072,
      reason:
        `Llama converges abruptly in its last layers; the paper trains layer 27 of 28 (k = 26) for Llama, so ` +
        `k = L − 2 = ${k} of ${L} layers. S = 30 of 300 steps, responses ≤ 3072 tokens (paper's Llama runs).`,
    };
  }
  const k = Math.max(0, Math.round(L / 6) - 1);
  return {
    ...common,
    internalLayer: k,
    maxResponseTokens: 8192,
    reason:
      `Qwen reduces uncertainty gradually from low layers; the paper trains layer 6 of Qwen3-4B's 36 (k = 5, ` +
      `the lowest sixth), so k = round(L/6) − 1 = ${k} of ${L} layers. S = 30 of 300 steps, responses ≤ 8192 ` +
      `tokens (paper's Qwen3 runs).`,
  };
}
