/** Spread across samples: per-sample means over each sample's pooled range, then std and quartiles. */
import { describe, expect, it } from "vitest";
import type { SampleEntropies } from "../analysis/types.ts";
import { quantileSorted, sampleSpread } from "./sample-spread.ts";

/** L = 1, T = 3: every row of the sample is `values` (the same per depth). */
function sample(values: number[]): SampleEntropies {
  const row = () => [...values];
  return {
    length: values.length,
    layerEntropy: [row(), row()],
    attnInputEntropy: [row()],
    attnOutputEntropy: [row()],
    ffnInputEntropy: [row()],
    ffnOutputEntropy: [row()],
    finalEntropy: row(),
    deltaLayer: [row()],
    deltaAttn: [row()],
    deltaFfn: [row()],
  };
}

describe("sampleSpread", () => {
  it("takes each sample's mean over its range, then the std and quartiles across samples", () => {
    // Pooled ranges: sample 1 → mean(1, 3) = 2, sample 2 → 4, sample 3 → mean(0, 0, 0) … skipped: empty.
    const s = sampleSpread(
      [sample([9, 1, 3]), sample([4, 4, 9]), sample([0, 0, 0])],
      [
        [1, 3],
        [0, 2],
        [2, 2],
      ],
    );
    expect(s?.samples).toBe(2);
    expect(s?.residual.std).toEqual([1, 1]);
    expect(s?.residual.median).toEqual([3, 3]);
    expect(s?.attnOutput).toEqual({ std: [1], q25: [2.5], median: [3], q75: [3.5] });
  });

  it("is undefined with nothing pooled or a non-finite entropy", () => {
    expect(sampleSpread([sample([1, 2])], [[1, 1]])).toBeUndefined();
    expect(sampleSpread([sample([Number.NaN, 2])], [[0, 2]])).toBeUndefined();
  });

  it("interpolates quantiles", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([5], 0.75)).toBe(5);
  });
});
