/** Spec §9 D18: grad-norm clip at the configured norm over present gradients; non-finite norms skip the update. */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { bitEqual } from "../model/test-utils/toy.ts";
import { AdamW } from "./adamw.ts";
import { accumulateGrads, clipAndStep, type GradMap, globalGradNorm } from "./gradients.ts";

/** Records the global norm of what the optimizer receives. */
function recorder() {
  const seen: number[][] = [];
  return {
    seen,
    step(grads: ReadonlyMap<string, tf.Tensor>) {
      seen.push([...grads.values()].flatMap((g) => Array.from(g.dataSync())));
    },
  };
}

const grads = (entries: Record<string, number[]>): GradMap =>
  new Map(Object.entries(entries).map(([k, v]) => [k, tf.tensor1d(v)]));

describe("gradient clipping and skipping", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
  });

  it("global norm over present gradients; clip to maxNorm (coef = maxNorm / (norm + 1e-6)); grads disposed", async () => {
    const before = tf.memory().numTensors;
    const g = grads({ a: [3, 0], b: [0, 4] }); // norm 5
    expect(await globalGradNorm(g)).toBeCloseTo(5, 6);
    const opt = recorder();
    const r = await clipAndStep(opt, g, 1);
    expect(r).toMatchObject({ skipped: false });
    expect(r.gradNorm).toBeCloseTo(5, 6);
    expect(r.clipCoef).toBeCloseTo(1 / (5 + 1e-6), 9);
    const sent = opt.seen[0] as number[];
    expect(Math.hypot(...sent)).toBeCloseTo(1, 5);
    const small = await clipAndStep(opt, grads({ a: [0.3, 0.4] }), 1); // norm 0.5: untouched
    expect(small.clipCoef).toBe(1);
    expect(opt.seen[1]?.[0]).toBeCloseTo(0.3, 7);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("a non-finite norm skips the update: parameters bit-identical, optimizer step counts unchanged", async () => {
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const before = (w.dataSync() as Float32Array).slice();
    const opt = new AdamW([{ name: "w", variable: w }], { lr: 0.1, betas: [0.9, 0.999], weightDecay: 0.01 });
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const r = await clipAndStep(opt, grads({ w: [1, bad, 0] }), 1);
      expect(r.skipped).toBe(true);
      expect(Number.isFinite(r.gradNorm)).toBe(false);
    }
    expect(bitEqual(w.dataSync() as Float32Array, before)).toBe(true);
    expect(opt.stepOf("w")).toBe(0);
    opt.dispose();
    w.dispose();
  });

  it("accumulateGrads sums by name and keeps names present in either map", () => {
    const into = grads({ a: [1, 1] });
    accumulateGrads(into, grads({ a: [2, 3], b: [5] }));
    expect(Array.from(into.get("a")?.dataSync() ?? [])).toEqual([3, 4]);
    expect(Array.from(into.get("b")?.dataSync() ?? [])).toEqual([5]);
    tf.dispose([...into.values()]);
  });
});
