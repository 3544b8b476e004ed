/**
 * Spec §9 invariants on the webgpu backend (the wasm versions live in src/train/*.test.ts and
 * src/analysis/*.test.ts; those read synchronously, which webgpu cannot do in Node, so the checks that depend on
 * the backend's numerics are repeated here with async reads):
 * A   π_{L−1} ≡ π bit-identically; H = logsumexp − Σ p·z equals −Σ p log p;
 * C9–C11 first mini-batch ratio ≡ 1 (ppo_kl = 0, pg_clipfrac = 0) in both phases;
 * C12–C14 a phase-1 update leaves layers above k and the final norm bit-identical; BuPO(k = L−1) ≡ GRPO;
 * D18 a non-finite gradient norm skips the update; the tensor count is constant across steps.
 */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disposeForwardResult, forward } from "../../model/forward.ts";
import { bitEqual, toyTokens } from "../../model/test-utils/toy.ts";
import { entropyFromLogits } from "../../tensor/fused-ops.ts";
import { runRlStep } from "../../train/rl-step.ts";
import { toyRunConfig, toyStepContext, withoutTimings } from "../../train/test-fixtures.ts";
import { probeWebgpu, readAll, relDiff, snapshotAsync, useWasm, useWebgpu } from "./webgpu-test-support.ts";

const gpu = await probeWebgpu(process.env.CI === "true");
const isUpper = (name: string, k: number) =>
  Number(/^model\.layers\.(\d+)\./.exec(name)?.[1] ?? -1) > k || name === "model.norm.weight";

describe.skipIf(gpu.skip !== undefined)("spec §9 invariants on webgpu", () => {
  beforeAll(useWebgpu);
  afterAll(useWasm);

  it("A: the internal policy at k = L−1 is the model policy; the entropy identity holds", async () => {
    const ctx = toyStepContext(toyRunConfig(), { family: "llama" });
    const { weights, config } = ctx.model;
    const out = forward(weights, config, toyTokens(2, 6, config.vocabSize), {
      internalLayer: config.numLayers - 1,
    });
    expect(out.internalLogits).toBe(out.logits);
    const [h, direct] = await readAll(
      tf.tidy(() => [
        entropyFromLogits(out.logits),
        tf.neg(tf.sum(tf.mul(tf.softmax(out.logits), tf.logSoftmax(out.logits)), -1)),
      ]),
    );
    expect(relDiff(direct as Float32Array, h as Float32Array)).toBeLessThan(1e-5);
    disposeForwardResult(out);
    ctx.dispose();
  });

  it("C9–C11: the first mini-batch has ratio ≡ 1 (ppo_kl = 0, pg_clipfrac = 0) in both phases", async () => {
    const ctx = toyStepContext(toyRunConfig({ rl: { iterativeSteps: 1, internalLayer: 0, miniBatches: 2 } }));
    for (const step of [1, 2]) {
      const { updates } = await runRlStep(ctx, step);
      expect(updates[0]?.ppoKl).toBe(0);
      expect(updates[0]?.pgClipfrac).toBe(0);
      expect(updates[1]?.ppoKl).not.toBe(0);
    }
    ctx.dispose();
  }, 120_000);

  it("C12–C14: after a phase-1 update layers above k and the final norm are bit-identical, the rest moved", async () => {
    const k = 0;
    const ctx = toyStepContext(
      toyRunConfig({ rl: { internalLayer: k, iterativeSteps: 1, miniBatches: 2 } }),
      {
        family: "llama",
      },
    );
    const before = await snapshotAsync(ctx);
    const r = await runRlStep(ctx, 1);
    expect(r.metrics["bupo/phase"]).toBe(1);
    expect(r.updates.every((u) => !u.skipped)).toBe(true);
    const after = await snapshotAsync(ctx);
    for (const [name, values] of before) {
      expect(bitEqual(values, after.get(name) as Float32Array), name).toBe(isUpper(name, k));
      expect(ctx.optimizer.stepOf(name), name).toBe(isUpper(name, k) ? 0 : 2);
    }
    ctx.dispose();
  }, 120_000);

  it("C14: BuPO with k = L−1 reproduces GRPO exactly (same seed ⇒ identical updates, metrics and weights)", async () => {
    const runs = [];
    for (const algorithm of ["bupo", "grpo"] as const) {
      const ctx = toyStepContext(toyRunConfig({ algorithm, rl: { internalLayer: 2, iterativeSteps: 1 } }));
      const steps = [await runRlStep(ctx, 1), await runRlStep(ctx, 2)];
      runs.push({ steps, weights: await snapshotAsync(ctx) });
      ctx.dispose();
    }
    const [bupo, grpo] = runs as [(typeof runs)[0], (typeof runs)[0]];
    const strip = (m: Record<string, unknown>) => {
      const { "bupo/phase": _p, "bupo/internal_layer": _k, ...rest } = withoutTimings(m);
      return rest;
    };
    bupo?.steps.forEach((s, i) => {
      expect(s.updates).toEqual(grpo?.steps[i]?.updates);
      expect(strip(s.metrics)).toEqual(strip(grpo?.steps[i]?.metrics ?? {}));
    });
    for (const [name, values] of bupo?.weights ?? [])
      expect(bitEqual(values, grpo?.weights.get(name) as Float32Array), name).toBe(true);
  }, 120_000);

  it("D18: a non-finite gradient norm skips the update; the tensor count stays constant over steps", async () => {
    let poison = false;
    const ctx = toyStepContext(toyRunConfig({ algorithm: "grpo", rl: { miniBatches: 2 } }), {
      fns: {
        forward: (w, c, t, o) => {
          const out = forward(w, c, t, o);
          if (!poison) return out;
          const nan = tf.mul(out.logits, Number.NaN) as tf.Tensor3D;
          out.logits.dispose();
          return { ...out, logits: nan };
        },
      },
    });
    ctx.trace = (e) => {
      poison = e.pass === "update" && e.miniBatch === 0;
    };
    const r = await runRlStep(ctx, 1);
    expect(r.updates.map((u) => u.skipped)).toEqual([true, false]);
    expect(ctx.optimizer.stepOf("model.embed_tokens.weight")).toBe(1);
    ctx.trace = undefined;
    const counts = [];
    for (const step of [2, 3]) {
      await runRlStep(ctx, step);
      counts.push(tf.memory().numTensors);
    }
    expect(counts[1]).toBe(counts[0]);
    ctx.dispose();
  }, 120_000);
});

if (gpu.skip) {
  describe("spec §9 invariants on webgpu", () => {
    it.skip(gpu.skip as string, () => {});
  });
}
