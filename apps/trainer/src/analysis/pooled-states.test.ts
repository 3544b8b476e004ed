/**
 * Representation similarity of residual streams to h_L (issue 15) through the in-heap analysis, against a float64
 * reference on per-sample forwards, and with the states fed layer-major as the streamed analysis produces them.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { buildAttentionContext } from "../model/attention-context.ts";
import { decoderLayer, runDecoder } from "../model/decoder.ts";
import { toTokenTensor } from "../model/forward.ts";
import { initWeights } from "../model/init-weights.ts";
import { toyConfig, toyTokens } from "../model/test-utils/toy.ts";
import { disposeWeights, type ModelWeights } from "../model/weights.ts";
import { analyzeInternalPolicies } from "./internal-policy.ts";
import { PooledStates } from "./pooled-states.ts";
import type { PositionRange } from "./types.ts";

const config = toyConfig("qwen3");
const L = config.numLayers;
// Lengths differ so the in-heap batches (grouped by length) do not follow the sample order.
const samples = [
  toyTokens(1, 9, 37, 1),
  toyTokens(1, 6, 37, 2),
  toyTokens(1, 9, 37, 3),
  toyTokens(1, 12, 37, 4),
].map((r) => r[0] as number[]);
const ranges: PositionRange[] = [{ start: 3 }, { start: 1, end: 5 }, { start: 4 }, { start: 2 }];
const CAP = 20; // 6 + 4 + 5 + first 5 of the last sample

type Mat = number[][];
const centre = (m: Mat) => {
  const d = (m[0] as number[]).length;
  const mean = Array.from({ length: d }, (_, j) => m.reduce((s, r) => s + (r[j] as number), 0) / m.length);
  return m.map((r) => r.map((v, j) => v - (mean[j] as number)));
};
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] as number), 0);
/** Float64 linear CKA through the token Grams. */
function refCka(x: Mat, y: Mat): number {
  const gram = (m: Mat) => m.map((a) => m.map((b) => dot(a, b)));
  const k = gram(centre(x)).flat();
  const l = gram(centre(y)).flat();
  return dot(k, l) / Math.sqrt(dot(k, k) * dot(l, l));
}
const refCos = (x: Mat, y: Mat) =>
  x.reduce(
    (s, a, t) =>
      s + dot(a, y[t] as number[]) / Math.sqrt(dot(a, a) * dot(y[t] as number[], y[t] as number[])),
    0,
  ) / x.length;

/** Pooled rows of every depth, one sample per forward, in sample order up to CAP: [L+1][N][d] float64. */
function referenceRows(w: ModelWeights): Mat[] {
  const depths: Mat[] = Array.from({ length: L + 1 }, () => []);
  samples.forEach((s, n) => {
    const hidden = tf.tidy(() => runDecoder(w, config, toTokenTensor([s], config.vocabSize)).hidden);
    const start = ranges[n]?.start ?? 0;
    const end = ranges[n]?.end ?? s.length;
    hidden.forEach((h, i) => {
      const rows = (h.arraySync() as number[][][])[0] as Mat;
      for (let t = start; t < end && (depths[i] as Mat).length < CAP; t++)
        (depths[i] as Mat).push(rows[t] as number[]);
    });
    tf.dispose(hidden);
  });
  return depths;
}

describe("PooledStates: residual streams vs h_L", () => {
  let weights: ModelWeights;
  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
    weights = initWeights(config, 5);
  });

  it("in-heap analysis: cosine and CKA per depth match a float64 reference on the first CAP pooled tokens", async () => {
    const pooled = new PooledStates(
      L + 1,
      samples.map((s) => s.length),
      ranges,
      CAP,
    );
    expect(pooled.numTokens).toBe(CAP);
    const before = tf.memory().numTensors;
    await analyzeInternalPolicies(weights, config, samples, {
      ranges,
      batchSize: 1,
      pooledStates: { into: pooled },
    });
    const sim = await pooled.similarityToTop();
    expect(tf.memory().numTensors).toBe(before);
    if (sim === undefined) throw new Error("no similarity");
    const ref = referenceRows(weights);
    const top = ref[L] as Mat;
    expect(sim.cosine).toHaveLength(L + 1);
    ref.forEach((x, i) => {
      expect(sim.cka[i]).toBeCloseTo(refCka(x, top), 4);
      expect(sim.cosine[i]).toBeCloseTo(refCos(x, top), 4);
    });
    expect(sim.cka[L]).toBeCloseTo(1, 5);
    expect(sim.cosine[L]).toBeCloseTo(1, 5);
    expect(Math.min(...sim.cka.slice(0, L))).toBeLessThan(0.99); // the layers do change the representation
  });

  it("layer-major feeding (the streamed analysis' order: one depth of every group, then the next) gives the same numbers", async () => {
    const inHeap = new PooledStates(
      L + 1,
      samples.map((s) => s.length),
      ranges,
      CAP,
    );
    await analyzeInternalPolicies(weights, config, samples, { ranges, pooledStates: { into: inHeap } });
    const layerMajor = new PooledStates(
      L + 1,
      samples.map((s) => s.length),
      ranges,
      CAP,
    );
    const before = tf.memory().numTensors;
    // groups of equal lengths, as analysis/streamed forms them: [0, 2], [1], [3]
    const groups = [[0, 2], [1], [3]].map((indices) => {
      const rows = indices.map((n) => samples[n] as number[]);
      const T = (rows[0] as number[]).length;
      const h = tf.tidy(
        () => runDecoder(weights, config, toTokenTensor(rows, config.vocabSize)).hidden[0] as tf.Tensor3D,
      );
      return { indices, h, ctx: buildAttentionContext(config, rows.length, T, 0) };
    });
    for (const g of groups) await layerMajor.add(0, g.h, g.indices);
    for (let i = 0; i < L; i++) {
      for (const g of groups) {
        const out = decoderLayer(
          weights.layers[i] as ModelWeights["layers"][number],
          config,
          g.h,
          g.ctx,
          undefined,
          false,
          false,
        );
        g.h.dispose();
        g.h = out.h;
        await layerMajor.add(i + 1, g.h, g.indices);
      }
    }
    for (const g of groups) tf.dispose([g.h, g.ctx.cos, g.ctx.sin, g.ctx.mask]);
    expect(tf.memory().numTensors).toBe(before);
    const a = await inHeap.similarityToTop();
    const b = await layerMajor.similarityToTop();
    for (let i = 0; i <= L; i++) {
      expect(b?.cka[i]).toBeCloseTo(a?.cka[i] as number, 5);
      expect(b?.cosine[i]).toBeCloseTo(a?.cosine[i] as number, 5);
    }
    expect(await layerMajor.grams()).toHaveLength(L + 1);
  });

  it("refuses an incomplete collection and reports nothing for zero pooled tokens", async () => {
    const partial = new PooledStates(
      L + 1,
      samples.map((s) => s.length),
      ranges,
      CAP,
    );
    await expect(partial.similarityToTop()).rejects.toThrow(/pooled rows collected/);
    const none = new PooledStates(L + 1, [4], [{ start: 4 }]);
    expect(await none.similarityToTop()).toBeUndefined();
  });

  it("cleans up", () => {
    disposeWeights(weights);
  });
});
