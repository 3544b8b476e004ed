/**
 * Spec §9 C12–C14 (§4.4): gradient routing of the phase-1 objective, bit-identical upper layers after a phase-1
 * update, full gradients in phase 2, BuPO(k = L−1) ≡ GRPO, advantages independent of the head.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { forward } from "../model/forward.ts";
import { bitEqual } from "../model/test-utils/toy.ts";
import { buildMicroBatches, disposeMicroBatchTensors, uploadMicroBatch } from "./batching.ts";
import { lossAndGrads } from "./gradients.ts";
import type { PolicyHead } from "./policy-head.ts";
import { responseLogProbs } from "./response-log-probs.ts";
import { runRlStep } from "./rl-step.ts";
import { collectRollout } from "./rollout.ts";
import { snapshot, toyRunConfig, toyStepContext, withoutTimings } from "./test-fixtures.ts";

/** 0-based decoder layer of an HF parameter name, or undefined for embed / norm / lm_head. */
const layerOf = (name: string) => {
  const m = /^model\.layers\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : undefined;
};
const isUpper = (name: string, k: number) => (layerOf(name) ?? -1) > k || name === "model.norm.weight";
const maxAbs = (t: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0] as number);

/** Gradients of a clipped-surrogate-like loss (Σ Â·logp over response tokens) through `head` on one rollout. */
async function headGrads(ctx: ReturnType<typeof toyStepContext>, head: PolicyHead) {
  const rollout = await collectRollout(
    ctx.fns,
    ctx.model,
    ctx.tokenizer,
    ctx.task.trainBatch(1, 2),
    ctx.task.grade,
    {
      ...ctx.config.rl,
      seed: 5,
    },
  );
  const adv = rollout.samples.map((_, i) => (i % 2 === 0 ? 1 : -1));
  const [mb] = buildMicroBatches(rollout.samples, [...rollout.samples.keys()], {
    microBatchSize: 64,
    padId: 0,
    advantages: adv,
  });
  if (!mb) throw new Error("no micro-batch");
  const t = uploadMicroBatch(mb);
  const r = await lossAndGrads(
    ctx.params,
    () => {
      const { logp } = responseLogProbs(ctx.fns, ctx.model, mb, t, head, 1);
      return { loss: tf.neg(tf.sum(tf.mul(logp, t.advantages))) as tf.Scalar };
    },
    async () => undefined,
  );
  disposeMicroBatchTensors(t);
  return r.grads;
}

describe("BuPO gradient routing", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
  });

  for (const family of ["llama", "qwen3"] as const) {
    for (const k of [0, 1]) {
      it(`${family} (${family === "llama" ? "untied" : "tied"}), k = ${k}: phase-1 grads absent above k and on the final norm, non-zero below and on W_U`, async () => {
        const ctx = toyStepContext(toyRunConfig(), { family });
        const grads = await headGrads(ctx, { kind: "internal", layer: k });
        for (const { name } of ctx.params) {
          const g = grads.get(name);
          if (isUpper(name, k)) expect(g, name).toBeUndefined();
          else expect(g && maxAbs(g), name).toBeGreaterThan(0);
        }
        if (family === "llama") expect(grads.has("lm_head.weight")).toBe(true);
        else expect(ctx.model.weights.lmHead).toBe(ctx.model.weights.embedTokens);
        tf.dispose([...grads.values()]);
        ctx.dispose();
      });
    }
  }

  it("phase 2: every parameter gets a non-zero gradient", async () => {
    const ctx = toyStepContext(toyRunConfig(), { family: "llama" });
    const grads = await headGrads(ctx, { kind: "final" });
    for (const { name } of ctx.params)
      expect(grads.get(name) && maxAbs(grads.get(name) as tf.Tensor), name).toBeGreaterThan(0);
    tf.dispose([...grads.values()]);
    ctx.dispose();
  });

  it("after a phase-1 update, layers above k and the final norm are bit-identical; the final-head logits change", async () => {
    const k = 0;
    const ctx = toyStepContext(
      toyRunConfig({ rl: { internalLayer: k, iterativeSteps: 1, miniBatches: 2 } }),
      { family: "llama" },
    );
    const probe = [[2, 3, 4, 5]];
    const logitsOf = () =>
      tf.tidy(
        () => forward(ctx.model.weights, ctx.model.config, probe).logits.dataSync().slice() as Float32Array,
      );
    const before = snapshot(ctx);
    const logitsBefore = logitsOf();
    const r = await runRlStep(ctx, 1);
    expect(r.metrics["bupo/phase"]).toBe(1);
    expect(r.updates.every((u) => !u.skipped)).toBe(true);
    const after = snapshot(ctx);
    for (const [name, values] of before) {
      const same = bitEqual(values, after.get(name) as Float32Array);
      expect(same, name).toBe(isUpper(name, k));
      expect(ctx.optimizer.stepOf(name), name).toBe(isUpper(name, k) ? 0 : 2);
    }
    expect(bitEqual(logitsBefore, logitsOf())).toBe(false);
    // phase 2 (step 2) then updates every parameter
    const r2 = await runRlStep(ctx, 2);
    expect(r2.metrics["bupo/phase"]).toBe(2);
    const later = snapshot(ctx);
    for (const [name, values] of after)
      expect(bitEqual(values, later.get(name) as Float32Array), name).toBe(false);
    ctx.dispose();
  });

  it("BuPO with k = L−1 reproduces GRPO exactly (same seed ⇒ identical losses, metrics and weights)", async () => {
    const L = 3;
    const runs = [];
    for (const algorithm of ["bupo", "grpo"] as const) {
      const ctx = toyStepContext(
        toyRunConfig({ algorithm, rl: { internalLayer: L - 1, iterativeSteps: 2 } }),
      );
      const steps = [];
      for (let step = 1; step <= 3; step++) steps.push(await runRlStep(ctx, step));
      runs.push({ steps, weights: snapshot(ctx) });
      ctx.dispose();
    }
    const [bupo, grpo] = runs as [NonNullable<(typeof runs)[0]>, NonNullable<(typeof runs)[0]>];
    expect(bupo.steps.map((s) => s.metrics["bupo/phase"])).toEqual([1, 1, 2]);
    bupo.steps.forEach((s, i) => {
      const g = grpo.steps[i];
      expect(s.updates).toEqual(g?.updates);
      const strip = (m: Record<string, unknown>) => {
        const { "bupo/phase": _p, "bupo/internal_layer": _k, ...rest } = withoutTimings(m);
        return rest;
      };
      expect(strip(s.metrics)).toEqual(strip(g?.metrics ?? {}));
    });
    for (const [name, values] of bupo.weights)
      expect(bitEqual(values, grpo.weights.get(name) as Float32Array), name).toBe(true);
  });

  it("advantages are identical in both phases for the same rollouts (the head switch never touches them)", async () => {
    const results = [];
    for (const algorithm of ["bupo", "grpo"] as const) {
      const ctx = toyStepContext(toyRunConfig({ algorithm, rl: { internalLayer: 0, iterativeSteps: 1 } }));
      results.push(await runRlStep(ctx, 1)); // BuPO phase 1 vs GRPO, same weights and seed
      ctx.dispose();
    }
    const [p1, p2] = results;
    expect(p1?.metrics["bupo/phase"]).toBe(1);
    expect(p2?.metrics["bupo/phase"]).toBe(2);
    expect(p1?.rollout.samples.map((s) => s.responseIds)).toEqual(
      p2?.rollout.samples.map((s) => s.responseIds),
    );
    expect(Array.from(p1?.advantages ?? [])).toEqual(Array.from(p2?.advantages ?? []));
    expect(Array.from(p1?.advantages ?? []).some((a) => a !== 0)).toBe(true);
  });
});
