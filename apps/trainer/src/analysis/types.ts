/**
 * Result shapes of the internal-policy analysis (spec §1–§3). All plain JS numbers, entropies in nats.
 *
 * Layer axes are 0-based. `layerEntropy[i]` is the residual stream after i layers: i = 0 is the embeddings h₀,
 * i = L the last layer's output h_L. Module arrays and deltas are indexed by the repo's 0-based decoder layer j
 * (paper layer j+1): `deltaLayer[j] = layerEntropy[j+1] − layerEntropy[j]`.
 */

import type { RepresentationSimilarity } from "@bupo/shared";

/** How residual streams are unembedded: "raw" W_U·h (repo and paper formula), "normed" W_U·RMSNorm_final(h). */
export type LensMode = "raw" | "normed";

export interface SampleEntropies {
  /** Sequence length T of this sample. */
  length: number;
  /** [L+1][T] H(W_U·h_i) (see `lens`; entry L is the true policy when `trueLastLayer`). */
  layerEntropy: number[][];
  /** [L][T] H(W_U·RMSNorm_in(h_j)) — normalised attention input. */
  attnInputEntropy: number[][];
  /** [L][T] H(W_U·a_{j+1}) — attention output alone. */
  attnOutputEntropy: number[][];
  /** [L][T] H(W_U·RMSNorm_post(h_j + a_{j+1})) — normalised MLP input. */
  ffnInputEntropy: number[][];
  /** [L][T] H(W_U·f_{j+1}) — MLP output alone. */
  ffnOutputEntropy: number[][];
  /** [T] entropy of the model's own policy softmax(W_U·RMSNorm_final(h_L)). */
  finalEntropy: number[];
  /** [L][T] layerEntropy[j+1] − layerEntropy[j]. */
  deltaLayer: number[][];
  /** [L][T] attnOutputEntropy − attnInputEntropy. */
  deltaAttn: number[][];
  /** [L][T] ffnOutputEntropy − ffnInputEntropy. */
  deltaFfn: number[][];
}

/** Token-weighted means over the selected positions of all samples (pooled, then averaged). */
export interface EntropyMeans {
  tokenCount: number;
  layerEntropy: number[]; // [L+1]
  attnInputEntropy: number[]; // [L]
  attnOutputEntropy: number[]; // [L]
  ffnInputEntropy: number[]; // [L]
  ffnOutputEntropy: number[]; // [L]
  finalEntropy: number;
  deltaLayer: number[]; // [L]
  deltaAttn: number[]; // [L]
  deltaFfn: number[]; // [L]
}

/** Positions [start, end) of one sample that enter the means (e.g. the response tokens). */
export interface PositionRange {
  start: number;
  /** Exclusive; default: the sample's length. */
  end?: number;
}

export interface InternalPolicyAnalysis {
  lens: LensMode;
  trueLastLayer: boolean;
  samples: SampleEntropies[];
  means: EntropyMeans;
  /** Residual streams h_0 … h_L vs h_L over the pooled tokens, when measured (analysis/pooled-states.ts). */
  similarity?: RepresentationSimilarity;
}
