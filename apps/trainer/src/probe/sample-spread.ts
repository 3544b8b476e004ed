/**
 * Spread across samples (issue 12): each sample's own mean entropy over its pooled positions, per depth, then
 * the standard deviation and quartiles of those means across samples. The pooled means stay token-weighted
 * (bupo-spec §3.2); the spread says how much single prompts differ from them.
 */
import type { AnalysisSpread, DepthSpread } from "@bupo/shared";
import { resolveRange } from "../analysis/pooling.ts";
import type { SampleEntropies } from "../analysis/types.ts";

/** Linear-interpolated quantile of sorted values (q in [0, 1]). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (at - lo);
}

function spreadOf(perSample: number[][]): DepthSpread {
  const depth = perSample[0]?.length ?? 0;
  const out: DepthSpread = { std: [], q25: [], median: [], q75: [] };
  for (let i = 0; i < depth; i++) {
    const xs = perSample.map((s) => s[i] as number).sort((a, b) => a - b);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    out.std.push(Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length));
    out.q25.push(quantileSorted(xs, 0.25));
    out.median.push(quantileSorted(xs, 0.5));
    out.q75.push(quantileSorted(xs, 0.75));
  }
  return out;
}

/** Mean of each row over positions [a, b). */
const rowMeans = (rows: number[][], a: number, b: number) =>
  rows.map((row) => {
    let sum = 0;
    for (let t = a; t < b; t++) sum += row[t] as number;
    return sum / (b - a);
  });

/**
 * The spread of per-sample means across samples with at least one pooled position; undefined when there is
 * none (or a value is not finite).
 */
export function sampleSpread(
  samples: readonly SampleEntropies[],
  ranges: readonly [number, number][],
): AnalysisSpread | undefined {
  const kept = samples.flatMap((s, n) => {
    const r = ranges[n];
    const [a, b] = resolveRange(s, r ? { start: r[0], end: r[1] } : undefined);
    return b > a
      ? [
          {
            residual: rowMeans(s.layerEntropy, a, b),
            attn: rowMeans(s.attnOutputEntropy, a, b),
            ffn: rowMeans(s.ffnOutputEntropy, a, b),
          },
        ]
      : [];
  });
  if (kept.length === 0) return undefined;
  const all = kept.flatMap((k) => [...k.residual, ...k.attn, ...k.ffn]);
  if (!all.every(Number.isFinite)) return undefined;
  return {
    samples: kept.length,
    residual: spreadOf(kept.map((k) => k.residual)),
    attnOutput: spreadOf(kept.map((k) => k.attn)),
    ffnOutput: spreadOf(kept.map((k) => k.ffn)),
  };
}
