/**
 * Rotary position embedding (rotate-half convention of transformers' Llama/Qwen code).
 * Tables are computed on the host with float32 rounding at each step like transformers
 * (`inv_freq = 1 / θ^(2i/hd)`, `angle = inv_freq · pos`), then uploaded once per forward.
 * Because transformers uses `emb = cat(freqs, freqs)`, both halves of cos/sin are equal and we keep half tables.
 */
import type { ModelConfig } from "./config.ts";

const f32 = Math.fround;

/** inverse frequencies [hd/2], including Llama-3 frequency-dependent scaling when configured. */
export function ropeInverseFrequencies(c: ModelConfig): Float32Array {
  const half = c.headDim / 2;
  const inv = new Float32Array(half);
  for (let i = 0; i < half; i++) inv[i] = f32(1 / f32(c.ropeTheta ** f32((2 * i) / c.headDim)));
  const s = c.ropeScaling;
  if (s === null) return inv;
  // transformers `_compute_llama3_parameters`
  const lowWavelen = s.originalMaxPositionEmbeddings / s.lowFreqFactor;
  const highWavelen = s.originalMaxPositionEmbeddings / s.highFreqFactor;
  for (let i = 0; i < half; i++) {
    const f = inv[i] as number;
    const wavelen = (2 * Math.PI) / f;
    if (wavelen > lowWavelen) inv[i] = f / s.factor;
    else if (wavelen >= highWavelen) {
      const smooth =
        (s.originalMaxPositionEmbeddings / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
      inv[i] = (1 - smooth) * (f / s.factor) + smooth * f;
    }
  }
  return inv;
}

/** Half cos/sin tables for the given positions: each [positions.length, hd/2], row-major. */
export function ropeTables(
  c: ModelConfig,
  positions: ArrayLike<number>,
): { cos: Float32Array; sin: Float32Array } {
  const inv = ropeInverseFrequencies(c);
  const half = inv.length;
  const cos = new Float32Array(positions.length * half);
  const sin = new Float32Array(positions.length * half);
  for (let p = 0; p < positions.length; p++) {
    const pos = positions[p] as number;
    for (let i = 0; i < half; i++) {
      const angle = f32((inv[i] as number) * pos);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

export { applyRope } from "../tensor/fused-ops.ts";
