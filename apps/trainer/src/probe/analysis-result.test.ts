/** The AnalysisResult record from pooled means (hand-computed L = 2 case) and its validation. */
import { describe, expect, it } from "vitest";
import type { EntropyMeans, InternalPolicyAnalysis } from "../analysis/types.ts";
import { buildAnalysisResult } from "./analysis-result.ts";

const means: EntropyMeans = {
  tokenCount: 7,
  layerEntropy: [3, 2.5, 1], // h0 (embeddings), h1, h2
  attnInputEntropy: [2.9, 2.4],
  attnOutputEntropy: [3.1, 2.0],
  ffnInputEntropy: [2.8, 2.2],
  ffnOutputEntropy: [2.6, 2.3],
  finalEntropy: 0.8,
  deltaLayer: [-0.5, -1.5],
  deltaAttn: [0.2, -0.4],
  deltaFfn: [-0.2, 0.1],
};
const info = { family: "qwen3" as const, numLayers: 2, hiddenSize: 32, vocabSize: 40, parameters: 1234 };
const analysis = (m: EntropyMeans): InternalPolicyAnalysis => ({
  lens: "raw",
  trueLastLayer: false,
  samples: [],
  means: m,
});
const set = {
  samples: [{ tokens: [1, 2, 3], range: [1, 3] as [number, number] }],
  positions: "response" as const,
};

describe("analysis result", () => {
  it("layers: input = residual entering layer j, output = leaving it; modules as pooled; the analysis lens", () => {
    expect(buildAnalysisResult(info, analysis(means), set).layers).toEqual({
      lens: "raw",
      numTokens: 7,
      layer: { input: [3, 2.5], output: [2.5, 1], change: [-0.5, -1.5] },
      attn: { input: [2.9, 2.4], output: [3.1, 2.0], change: [0.2, -0.4] },
      ffn: { input: [2.8, 2.2], output: [2.6, 2.3], change: [-0.2, 0.1] },
    });
  });

  it("validates, clamps a rounding-negative final entropy, and omits absent optional fields", () => {
    const r = buildAnalysisResult(info, analysis({ ...means, finalEntropy: -1e-8 }), set);
    expect(r.finalEntropy).toBe(0);
    expect(r.numSamples).toBe(1);
    expect(r.layers.lens).toBe("raw");
    expect("note" in r || "meanReward" in r).toBe(false);
    const graded = buildAnalysisResult(info, analysis(means), { ...set, meanReward: 0.5, note: "x" });
    expect(graded).toMatchObject({ meanReward: 0.5, note: "x" });
  });

  it("rejects a result the schema does not accept (NaN means: nothing pooled)", () => {
    const empty = { ...means, tokenCount: 0, finalEntropy: Number.NaN };
    expect(() => buildAnalysisResult(info, analysis(empty), set)).toThrow();
  });
});
