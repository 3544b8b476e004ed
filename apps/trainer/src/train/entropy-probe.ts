/**
 * Periodic internal-policy entropy probe (spec §2–§3) on a sample of the step's own rollouts: teacher-forced
 * [prompt | response] through `analysis/`, pooled over response positions (the repo's positions
 * `prompt_length+1 … end` for a Qwen template = the response tokens themselves, §3.2), token-weighted.
 * Returns the shared `LayerEntropy` record (0-based layer arrays), with the representation similarity of every
 * residual stream to h_L over the first DEFAULT_SIMILARITY_TOKENS pooled tokens (issue 15). Only reads the
 * weights: the step's own results do not depend on it.
 */
import type { LayerEntropy, LensMode } from "@bupo/shared";
import { analyzeInternalPolicies } from "../analysis/internal-policy.ts";
import { layerEntropyFromMeans } from "../analysis/layer-entropy.ts";
import { DEFAULT_SIMILARITY_TOKENS, PooledStates } from "../analysis/pooled-states.ts";
import type { LoadedModel, Rollout, RolloutSample } from "./types.ts";

export interface EntropyProbeOptions {
  sampleSize: number;
  lens: LensMode;
  trueLastLayer: boolean;
}

/** Deterministic sample: first response of every group, then the second of every group, … up to `count`. */
export function pickProbeSamples(rollout: Rollout, count: number): RolloutSample[] {
  const byGroup = new Map<number, RolloutSample[]>();
  for (const s of rollout.samples) byGroup.set(s.group, [...(byGroup.get(s.group) ?? []), s]);
  const groups = [...byGroup.values()];
  const out: RolloutSample[] = [];
  for (let round = 0; out.length < count; round++) {
    let added = false;
    for (const g of groups) {
      const s = g[round];
      if (s !== undefined && out.length < count) {
        out.push(s);
        added = true;
      }
    }
    if (!added) break;
  }
  return out;
}

export async function probeLayerEntropies(
  model: LoadedModel,
  rollout: Rollout,
  opts: EntropyProbeOptions,
): Promise<LayerEntropy> {
  const picked = pickProbeSamples(rollout, opts.sampleSize);
  const sequences = picked.map((s) => [...s.promptIds, ...s.responseIds]);
  const ranges = picked.map((s) => ({ start: s.promptIds.length }));
  const L = model.config.numLayers;
  const pooled = new PooledStates(
    L + 1,
    sequences.map((s) => s.length),
    ranges,
    DEFAULT_SIMILARITY_TOKENS,
  );
  const a = await analyzeInternalPolicies(model.weights, model.config, sequences, {
    lens: opts.lens,
    trueLastLayer: opts.trueLastLayer,
    ranges,
    pooledStates: { into: pooled },
  });
  return layerEntropyFromMeans(a.means, L, opts.lens, await pooled.similarityToTop());
}
