/**
 * Spec §9 C9–C11 and D17–D18 on a toy model (wasm backend, the production numerics):
 * phase switch for old AND new log-probs, rollouts only from the full policy, first mini-batch ratio ≡ 1,
 * exact token-mean, mini-batch/micro-batch structure, non-finite skip, constant tensor count.
 */
import { StepMetricsSchema } from "@bupo/shared";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { forward } from "../model/forward.ts";
import { generate } from "../model/generate.ts";
import { bitEqual, maxAbsDiff } from "../model/test-utils/toy.ts";
import { deriveSeed } from "../tasks/rng.ts";
import { logProbsOfTokens } from "../tensor/log-probs.ts";
import { buildMicroBatches, disposeMicroBatchTensors, uploadMicroBatch } from "./batching.ts";
import { lossAndGrads } from "./gradients.ts";
import type { PolicyHead } from "./policy-head.ts";
import type { LogProbTrace } from "./policy-update.ts";
import { responseLogProbs } from "./response-log-probs.ts";
import { runRlStep } from "./rl-step.ts";
import { collectRollout } from "./rollout.ts";
import { toyRunConfig, toyStepContext } from "./test-fixtures.ts";

describe("RL step (BuPO / GRPO)", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "wasm" });
  });

  it("S = 2: steps 1, 2 use π_k for old AND new log-probs, step 3 uses π for both", async () => {
    const cfg = toyRunConfig({ rl: { iterativeSteps: 2, internalLayer: 1, totalSteps: 3 } });
    const calls: { step: number; pass: string; internalLayer: number | undefined }[] = [];
    const traces: (LogProbTrace & { step: number })[] = [];
    let current = { step: 0, pass: "none" };
    const ctx = toyStepContext(cfg, {
      fns: {
        forward: (w, c, t, o) => {
          calls.push({ ...current, internalLayer: o?.internalLayer });
          return forward(w, c, t, o);
        },
      },
    });
    for (let step = 1; step <= 3; step++) {
      ctx.trace = (e) => {
        traces.push({ ...e, step });
        current = { step, pass: e.pass };
      };
      await runRlStep(ctx, step);
    }
    const internal: PolicyHead = { kind: "internal", layer: 1 };
    for (const step of [1, 2, 3]) {
      const expected = step <= 2 ? internal : { kind: "final" };
      for (const pass of ["old", "update"]) {
        const t = traces.filter((e) => e.step === step && e.pass === pass);
        expect(t.length).toBeGreaterThan(0);
        for (const e of t) expect(e.head).toEqual(expected);
        const f = calls.filter((c) => c.step === step && c.pass === pass);
        expect(f.length).toBe(t.length); // one forward per traced micro-batch pass
        for (const c of f) expect(c.internalLayer).toBe(step <= 2 ? 1 : undefined);
      }
    }
    ctx.dispose();
  });

  it("rollouts always come from the full policy π (generate), never from the internal head", async () => {
    const cfg = toyRunConfig({ rl: { iterativeSteps: 1, internalLayer: 0, temperature: 0.8, topP: 0.9 } });
    const seen: {
      rows: number;
      seed: number | undefined;
      temperature: number | undefined;
      topP: number | undefined;
    }[] = [];
    const ctx = toyStepContext(cfg, {
      fns: {
        generate: async (w, c, prompts, o) => {
          const r = await generate(w, c, prompts, o);
          seen.push({ rows: prompts.length, seed: o.seed, temperature: o.temperature, topP: o.topP });
          // the sampled tokens' log-probs are the FINAL head's (÷T), and differ from π_k's
          prompts.forEach((p, b) => {
            const full = [[...p, ...(r.tokens[b] as number[])]];
            const [fin, inner] = tf.tidy(() => {
              const out = forward(w, c, full, { internalLayer: 0, temperature: o.temperature });
              const ids = tf.tensor2d([full[0]?.slice(1) ?? []], undefined, "int32");
              const shift = (z: tf.Tensor3D) =>
                tf.slice(z, [0, 0, 0], [1, (full[0]?.length ?? 1) - 1, -1]) as tf.Tensor3D;
              return [
                logProbsOfTokens(shift(out.logits), ids as tf.Tensor2D),
                logProbsOfTokens(shift(out.internalLogits as tf.Tensor3D), ids as tf.Tensor2D),
              ];
            }) as [tf.Tensor, tf.Tensor];
            const P = p.length;
            const pick = (t: tf.Tensor) => Array.from(t.dataSync()).slice(P - 1);
            expect(maxAbsDiff(pick(fin), r.logProbs[b] as number[])).toBeLessThan(1e-4);
            expect(maxAbsDiff(pick(inner), r.logProbs[b] as number[])).toBeGreaterThan(1e-2);
            tf.dispose([fin, inner]);
          });
          return r;
        },
      },
    });
    for (const step of [1, 2]) await runRlStep(ctx, step); // phase 1, then phase 2
    expect(seen).toEqual(
      [1, 2].map((step) => ({
        rows: cfg.rl.promptsPerStep * cfg.rl.groupSize,
        seed: deriveSeed(cfg.seed, `rollout/${step}`),
        temperature: 0.8,
        topP: 0.9,
      })),
    );
    ctx.dispose();
  });

  it("first mini-batch: ratio ≡ 1 bit-exactly, pg_clipfrac = 0, ppo_kl = 0 (both phases); later ones move", async () => {
    const cfg = toyRunConfig({ rl: { iterativeSteps: 1, internalLayer: 0, miniBatches: 2 } });
    const ctx = toyStepContext(cfg);
    for (const step of [1, 2]) {
      const { updates } = await runRlStep(ctx, step);
      expect(updates[0]?.ppoKl).toBe(0);
      expect(updates[0]?.pgClipfrac).toBe(0);
      expect(updates[1]?.ppoKl).not.toBe(0); // θ changed after the first update: off-policy w.r.t. θ_old
    }
    // the same forward inside variableGrads and outside gives bit-identical log-probs
    const rollout = await collectRollout(
      ctx.fns,
      ctx.model,
      ctx.tokenizer,
      ctx.task.trainBatch(9, 2),
      ctx.task.grade,
      {
        ...cfg.rl,
        seed: 1,
      },
    );
    const [mb] = buildMicroBatches(rollout.samples, [0, 1, 2, 3], { microBatchSize: 8, padId: 0 });
    if (!mb) throw new Error("no micro-batch");
    const t = uploadMicroBatch(mb);
    for (const head of [{ kind: "internal", layer: 0 }, { kind: "final" }] as PolicyHead[]) {
      const old = responseLogProbs(ctx.fns, ctx.model, mb, t, head, 1).logp;
      const r = await lossAndGrads(
        ctx.params,
        () => {
          const { logp } = responseLogProbs(ctx.fns, ctx.model, mb, t, head, 1);
          return { loss: tf.sum(tf.mul(logp, t.mask)) as tf.Scalar, keep: [logp] };
        },
        async ([logp]) => (logp as tf.Tensor).dataSync().slice() as Float32Array,
      );
      expect(bitEqual(old.dataSync() as Float32Array, r.extra)).toBe(true);
      tf.dispose([old, ...r.grads.values()]);
    }
    disposeMicroBatchTensors(t);
    ctx.dispose();
  });

  it("token-mean over the whole mini-batch (EOS counted); micro-batching gives the same loss and gradients", async () => {
    const cfg = toyRunConfig({ algorithm: "grpo", rl: { miniBatches: 1, groupSize: 4, promptsPerStep: 2 } });
    const grads: Record<string, Map<string, Float32Array>> = {};
    const losses: Record<string, number> = {};
    for (const micro of [64, 3, 1]) {
      const ctx = toyStepContext(cfg, { microBatchSize: micro });
      const seenGrads = new Map<string, Float32Array>();
      ctx.optimizer.step = (g) => {
        for (const [k, v] of g) seenGrads.set(k, (v.dataSync() as Float32Array).slice());
      };
      const r = await runRlStep(ctx, 1);
      // at ratio 1 the loss is −Σ_i Â_i·|o_i| / Σ_i |o_i| (|o_i| includes EOS)
      const lens = r.rollout.samples.map((s) => s.responseIds.length);
      const expected =
        -lens.reduce((a, n, i) => a + n * (r.advantages[i] as number), 0) / lens.reduce((a, b) => a + b, 0);
      expect(r.updates[0]?.pgLoss).toBeCloseTo(expected, 5);
      expect(r.rollout.samples.some((s) => s.responseIds.at(-1) === ctx.tokenizer.eosId)).toBe(true);
      grads[micro] = seenGrads;
      losses[micro] = r.updates[0]?.pgLoss as number;
      ctx.dispose();
    }
    for (const micro of [3, 1]) {
      expect(losses[micro]).toBeCloseTo(losses[64] as number, 6);
      for (const [name, g] of grads[64] ?? []) {
        const other = grads[micro]?.get(name) as Float32Array;
        const scale = Math.max(1e-6, ...Array.from(g, Math.abs));
        expect(maxAbsDiff(g, other) / scale).toBeLessThan(1e-4);
      }
    }
  });

  it("runs `miniBatches` optimizer updates per step", async () => {
    for (const miniBatches of [1, 2]) {
      const ctx = toyStepContext(toyRunConfig({ algorithm: "grpo", rl: { miniBatches, promptsPerStep: 2 } }));
      const { updates } = await runRlStep(ctx, 1);
      expect(updates).toHaveLength(miniBatches);
      expect(ctx.optimizer.stepOf("model.embed_tokens.weight")).toBe(miniBatches);
      ctx.dispose();
    }
  });

  it("skips an update whose gradient norm is not finite; the step still reports valid metrics", async () => {
    const cfg = toyRunConfig({ algorithm: "grpo", rl: { miniBatches: 2 } });
    let poison = false;
    const ctx = toyStepContext(cfg, {
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
    expect(() => StepMetricsSchema.parse(r.metrics)).not.toThrow();
    ctx.dispose();
  });

  it("tensor count is constant across repeated steps (phase 1, phase 2, entropy probe)", async () => {
    const cfg = toyRunConfig({ rl: { iterativeSteps: 2, internalLayer: 0 } });
    const ctx = toyStepContext(cfg);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    for (let step = 1; step <= 4; step++) {
      const r = await runRlStep(ctx, step, step % 2 === 0);
      if (step % 2 === 0) expect(r.metrics.layers?.layer.change).toHaveLength(ctx.model.config.numLayers);
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual([before, before, before, before]);
    ctx.dispose();
  });
});
