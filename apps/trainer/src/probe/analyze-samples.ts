/**
 * Internal-policy entropies of probe samples (bupo-spec §2–§3) through src/analysis `analyzeInternalPolicies`,
 * in chunks of samples so a long probe can be cancelled between chunks; the pooled means are taken over the
 * samples' ranges of ALL chunks (token-weighted, §3.2), exactly as one call would pool them; likewise the
 * representation similarity to h_L over the first DEFAULT_SIMILARITY_TOKENS pooled tokens of all chunks.
 */
import { analyzeInternalPolicies } from "../analysis/internal-policy.ts";
import { DEFAULT_SIMILARITY_TOKENS, PooledStates } from "../analysis/pooled-states.ts";
import { poolTokenMeans } from "../analysis/pooling.ts";
import type { InternalPolicyAnalysis, LensMode, SampleEntropies } from "../analysis/types.ts";
import { checkAborted } from "./input-error.ts";
import type { ProbeModel } from "./model-source.ts";
import type { ProbeSample } from "./samples.ts";

export interface AnalyzeSamplesOptions {
  lens: LensMode;
  trueLastLayer: boolean;
  signal?: AbortSignal;
  /** Samples per `analyzeInternalPolicies` call (default 16; equal lengths share a forward). */
  chunkSize?: number;
}

/** Per-position entropies of every sample and their pooled means. Leaves no tensors behind. */
export async function analyzeSamples(
  model: Pick<ProbeModel, "config" | "weights">,
  samples: readonly ProbeSample[],
  opts: AnalyzeSamplesOptions,
): Promise<InternalPolicyAnalysis> {
  const chunkSize = Math.max(1, opts.chunkSize ?? 16);
  const entropies: SampleEntropies[] = [];
  const ranges = samples.map((s) => ({ start: s.range[0], end: s.range[1] }));
  const pooled = new PooledStates(
    model.config.numLayers + 1,
    samples.map((s) => s.tokens.length),
    ranges,
    DEFAULT_SIMILARITY_TOKENS,
  );
  for (let i = 0; i < samples.length; i += chunkSize) {
    checkAborted(opts.signal);
    const chunk = samples.slice(i, i + chunkSize);
    const a = await analyzeInternalPolicies(
      model.weights,
      model.config,
      chunk.map((s) => s.tokens),
      { lens: opts.lens, trueLastLayer: opts.trueLastLayer, pooledStates: { into: pooled, firstIndex: i } },
    );
    entropies.push(...a.samples);
  }
  const similarity = await pooled.similarityToTop();
  return {
    lens: opts.lens,
    trueLastLayer: opts.trueLastLayer,
    samples: entropies,
    means: poolTokenMeans(entropies, ranges),
    ...(similarity === undefined ? {} : { similarity }),
  };
}
