/**
 * The record of an analysis job (`AnalysisResult`, packages/shared): per-layer / attention / FFN entropies
 * pooled over the probed positions (0-based layer arrays of length L), the model's own policy entropy, the
 * sample count, which positions were pooled, the mean reward, the spread across samples and (in-memory jobs) the
 * token × layer views of the first samples. Validated with `AnalysisResultSchema`.
 */
import { type AnalysisResult, AnalysisResultSchema, type TokenView } from "@bupo/shared";
import { layerEntropyFromMeans } from "../analysis/layer-entropy.ts";
import type { InternalPolicyAnalysis } from "../analysis/types.ts";
import type { ProbeModelInfo } from "./model-source.ts";
import { sampleSpread } from "./sample-spread.ts";
import type { ProbeSampleSet } from "./samples.ts";

/** Builds and validates the result; throws when it does not satisfy `AnalysisResultSchema`. */
export function buildAnalysisResult(
  info: Pick<ProbeModelInfo, "family" | "numLayers" | "hiddenSize" | "vocabSize" | "parameters">,
  analysis: InternalPolicyAnalysis,
  set: ProbeSampleSet,
  tokenViews?: TokenView[],
): AnalysisResult {
  const m = analysis.means;
  const spread = sampleSpread(
    analysis.samples,
    set.samples.map((s) => s.range),
  );
  return AnalysisResultSchema.parse({
    layers: layerEntropyFromMeans(m, info.numLayers, analysis.lens, analysis.similarity),
    // An entropy is ≥ 0; float rounding of a near-deterministic softmax can leave −1e-7.
    finalEntropy: Math.max(0, m.finalEntropy),
    numSamples: set.samples.length,
    positions: set.positions,
    ...(set.note === undefined ? {} : { note: set.note.slice(0, 500) }),
    ...(set.meanReward === undefined ? {} : { meanReward: set.meanReward }),
    model: {
      family: info.family,
      numLayers: info.numLayers,
      hiddenSize: info.hiddenSize,
      vocabSize: info.vocabSize,
      parameters: info.parameters,
    },
    ...(spread === undefined ? {} : { spread }),
    ...(tokenViews?.length ? { tokenViews } : {}),
  });
}
