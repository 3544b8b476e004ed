/** Checkpoint comparison (issue 15): depth × depth linear CKA between models of different widths and depths. */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { runDecoder } from "../model/decoder.ts";
import { toTokenTensor } from "../model/forward.ts";
import { initWeights } from "../model/init-weights.ts";
import { toyConfig, toyTokens } from "../model/test-utils/toy.ts";
import { disposeWeights } from "../model/weights.ts";
import { byRelativeDepth, ckaMatrix, compareWithReference, layerGrams } from "./layer-comparison.ts";
import { linearCka } from "./representation-similarity.ts";

const small = toyConfig("qwen3");
const wide = toyConfig("llama", { hiddenSize: 48, numLayers: 4, numHeads: 6, intermediateSize: 80 });
const samples = [toyTokens(1, 10, 37, 7)[0] as number[], toyTokens(1, 8, 37, 8)[0] as number[]];
let wSmall: ReturnType<typeof initWeights>;
let wSmall2: ReturnType<typeof initWeights>;
let wWide: ReturnType<typeof initWeights>;

beforeAll(async () => {
  await initBackend({ prefer: "wasm" });
  wSmall = initWeights(small, 1);
  wSmall2 = initWeights(small, 2);
  wWide = initWeights(wide, 3);
});
afterAll(() => {
  for (const w of [wSmall, wSmall2, wWide]) disposeWeights(w);
});

/** Residual streams of the two samples, positions 2.. pooled, concatenated: [L+1] × [N, d]. */
function pooledRows(w: ReturnType<typeof initWeights>, c: typeof small): tf.Tensor2D[] {
  return tf.tidy(() => {
    const per = samples.map((s) => runDecoder(w, c, toTokenTensor([s], c.vocabSize)).hidden);
    return Array.from({ length: c.numLayers + 1 }, (_, i) =>
      tf.concat(
        per.map((h, n) => {
          const t = (samples[n] as number[]).length;
          return tf.reshape(tf.slice(h[i] as tf.Tensor3D, [0, 2, 0], [1, t - 2, -1]), [t - 2, c.hiddenSize]);
        }),
      ),
    ) as tf.Tensor2D[];
  });
}

describe("layer comparison", () => {
  const ranges = [{ start: 2 }, { start: 2 }];

  it("the depth × depth matrix equals linear CKA of the pooled rows, across widths and depths", async () => {
    const before = tf.memory().numTensors;
    const a = await layerGrams(wSmall, small, samples, ranges);
    const b = await layerGrams(wWide, wide, samples, ranges, { batchSize: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(a.numTokens).toBe(8 + 6);
    const [cmp] = compareWithReference([a, b]);
    if (cmp === undefined) throw new Error("no comparison");
    expect(cmp.matrix).toHaveLength(small.numLayers + 1);
    expect(cmp.matrix[0]).toHaveLength(wide.numLayers + 1);
    const ra = pooledRows(wSmall, small);
    const rb = pooledRows(wWide, wide);
    ra.forEach((x, i) => {
      rb.forEach((y, j) => {
        const ref = tf.tidy(() => linearCka(x, y).dataSync()[0] as number);
        expect(cmp.matrix[i]?.[j]).toBeCloseTo(ref, 4);
      });
    });
    tf.dispose([...ra, ...rb]);
    // L 3 vs L 4: depth i ↦ round(4i/3) = 0, 1, 3, 4
    expect(cmp.byDepth).toEqual([0, 1, 3, 4].map((j, i) => cmp.matrix[i]?.[j]));
  });

  it("a model against itself has 1 on the diagonal and a symmetric matrix; another seed does not", async () => {
    const a = await layerGrams(wSmall, small, samples, ranges);
    const self = ckaMatrix(a, a);
    self.forEach((row, i) => {
      expect(row[i]).toBeCloseTo(1, 5);
      for (const [j, v] of row.entries()) expect(v).toBeCloseTo(self[j]?.[i] as number, 6);
    });
    const [other] = compareWithReference([a, await layerGrams(wSmall2, small, samples, ranges)]);
    expect(Math.min(...(other?.byDepth.slice(1) ?? []))).toBeLessThan(0.99);
  });

  it("refuses comparisons over different token counts or with one model", async () => {
    const a = await layerGrams(wSmall, small, samples, ranges);
    const b = await layerGrams(wSmall, small, samples, [{ start: 3 }, { start: 2 }]);
    expect(() => ckaMatrix(a, b)).toThrow(/different token counts/);
    expect(() => compareWithReference([a])).toThrow(/two or more/);
    expect(byRelativeDepth([[0.5]])).toEqual([0.5]);
  });
});
