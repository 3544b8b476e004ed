/**
 * Pooled means → the shared `LayerEntropy` record (packages/shared metrics.ts), used by the in-training probe
 * (src/train/entropy-probe.ts) and by analysis jobs (src/probe/analysis-result.ts).
 */
import type { LayerEntropy, RepresentationSimilarity } from "@bupo/shared";
import type { EntropyMeans, LensMode } from "./types.ts";

/**
 * The shared `LayerEntropy` record of pooled means (0-based layer arrays of length L): layer input = residual
 * entering layer j (j = 0: embeddings), output = residual leaving it; module inputs are normalised, outputs are
 * the module alone (spec §2.2). `similarity` (residual streams vs h_L) is carried along when measured.
 */
export function layerEntropyFromMeans(
  m: EntropyMeans,
  numLayers: number,
  lens: LensMode,
  similarity?: RepresentationSimilarity,
): LayerEntropy {
  return {
    lens,
    numTokens: m.tokenCount,
    layer: {
      input: m.layerEntropy.slice(0, numLayers),
      output: m.layerEntropy.slice(1, numLayers + 1),
      change: m.deltaLayer,
    },
    attn: { input: m.attnInputEntropy, output: m.attnOutputEntropy, change: m.deltaAttn },
    ffn: { input: m.ffnInputEntropy, output: m.ffnOutputEntropy, change: m.deltaFfn },
    ...(similarity === undefined ? {} : { similarity }),
  };
}
