/**
 * Token-weighted pooling (spec §3.2): the values of the selected positions of ALL samples are pooled and then
 * averaged, so long responses weigh more (not a mean of per-sample means). Prompt positions are excluded by the
 * ranges.
 */
import type { EntropyMeans, PositionRange, SampleEntropies } from "./types.ts";

/** Clamped [start, end) for a sample; the whole sequence when no range is given. */
export function resolveRange(sample: { length: number }, range?: PositionRange): [number, number] {
  const start = Math.max(0, Math.min(sample.length, range?.start ?? 0));
  const end = Math.max(start, Math.min(sample.length, range?.end ?? sample.length));
  return [start, end];
}

/** Pooled mean of rows[i][t] over every sample's range → one number per row i. */
function pooledRows(
  samples: SampleEntropies[],
  ranges: (PositionRange | undefined)[],
  pick: (s: SampleEntropies) => number[][],
): number[] {
  const first = samples[0];
  if (first === undefined) return [];
  const nRows = pick(first).length;
  const sums = new Array<number>(nRows).fill(0);
  let count = 0;
  samples.forEach((s, n) => {
    const [a, b] = resolveRange(s, ranges[n]);
    count += b - a;
    pick(s).forEach((row, i) => {
      for (let t = a; t < b; t++) sums[i] = (sums[i] as number) + (row[t] as number);
    });
  });
  return sums.map((v) => (count === 0 ? Number.NaN : v / count));
}

/**
 * Token-weighted means over the given position ranges (one per sample; missing = all positions).
 * With no selected token every mean is NaN and `tokenCount` is 0.
 */
export function poolTokenMeans(
  samples: SampleEntropies[],
  ranges: (PositionRange | undefined)[] = [],
): EntropyMeans {
  const tokenCount = samples.reduce((n, s, i) => {
    const [a, b] = resolveRange(s, ranges[i]);
    return n + b - a;
  }, 0);
  return {
    tokenCount,
    layerEntropy: pooledRows(samples, ranges, (s) => s.layerEntropy),
    attnInputEntropy: pooledRows(samples, ranges, (s) => s.attnInputEntropy),
    attnOutputEntropy: pooledRows(samples, ranges, (s) => s.attnOutputEntropy),
    ffnInputEntropy: pooledRows(samples, ranges, (s) => s.ffnInputEntropy),
    ffnOutputEntropy: pooledRows(samples, ranges, (s) => s.ffnOutputEntropy),
    finalEntropy: pooledRows(samples, ranges, (s) => [s.finalEntropy])[0] ?? Number.NaN,
    deltaLayer: pooledRows(samples, ranges, (s) => s.deltaLayer),
    deltaAttn: pooledRows(samples, ranges, (s) => s.deltaAttn),
    deltaFfn: pooledRows(samples, ranges, (s) => s.deltaFfn),
  };
}
