/** Pooled means → shared LayerEntropy record (hand-computed L = 3 case). */
import { LayerEntropySchema } from "@bupo/shared";
import { describe, expect, it } from "vitest";
import { layerEntropyFromMeans } from "./layer-entropy.ts";
import type { EntropyMeans } from "./types.ts";

describe("layerEntropyFromMeans", () => {
  it("layer input = residual entering layer j, output = leaving it; modules and changes as pooled", () => {
    const means: EntropyMeans = {
      tokenCount: 5,
      layerEntropy: [4, 3.5, 3, 1], // h0 (embeddings), h1, h2, h3
      attnInputEntropy: [3.9, 3.4, 2.9],
      attnOutputEntropy: [4.2, 3.0, 2.5],
      ffnInputEntropy: [3.8, 3.3, 2.7],
      ffnOutputEntropy: [3.6, 3.4, 1.2],
      finalEntropy: 0.9,
      deltaLayer: [-0.5, -0.5, -2],
      deltaAttn: [0.3, -0.4, -0.4],
      deltaFfn: [-0.2, 0.1, -1.5],
    };
    const record = layerEntropyFromMeans(means, 3, "raw");
    expect(record).toEqual({
      lens: "raw",
      numTokens: 5,
      layer: { input: [4, 3.5, 3], output: [3.5, 3, 1], change: [-0.5, -0.5, -2] },
      attn: { input: [3.9, 3.4, 2.9], output: [4.2, 3.0, 2.5], change: [0.3, -0.4, -0.4] },
      ffn: { input: [3.8, 3.3, 2.7], output: [3.6, 3.4, 1.2], change: [-0.2, 0.1, -1.5] },
    });
    expect(LayerEntropySchema.parse(record)).toEqual(record);
  });
});
