/**
 * Whole-model equivalence of the native kernels: the tiny Qwen3 preset (d 128, L 4) on the toy task of
 * train/test-fixtures (reward 1 iff the response contains "b": mixed groups, so the RL updates are not zero), a
 * short seeded run (warm-start SFT steps, then BuPO RL steps) with the native kernels and again on the plain wasm
 * kernels (`uninstallNativeKernels`): per-step losses and metrics agree to float tolerance. Also the model's
 * forward logits on wasm + native against the cpu backend.
 */
import { type RunConfig, RunConfigSchema } from "@bupo/shared";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelConfig } from "../../model/config.ts";
import { forward } from "../../model/forward.ts";
import { generate } from "../../model/generate.ts";
import { initWeights } from "../../model/init-weights.ts";
import { modelPreset } from "../../model/presets.ts";
import { toyTokens } from "../../model/test-utils/toy.ts";
import { disposeWeights, namedParameters } from "../../model/weights.ts";
import { deriveSeed } from "../../tasks/rng.ts";
import { AdamW } from "../../train/adamw.ts";
import { runRlStep } from "../../train/rl-step.ts";
import { runSftStep } from "../../train/sft.ts";
import { toyTask, toyTokenizer } from "../../train/test-fixtures.ts";
import { initBackend } from "../init-backend.ts";
import { countAddonCalls, nativeAvailable, randInt, relErr, rng, skipNote } from "./native-test-utils.ts";
import { installNativeKernels, uninstallNativeKernels } from "./register-native-kernels.ts";

const SFT_STEPS = 4;
const RL_STEPS = 3;

function runConfig(): RunConfig {
  return RunConfigSchema.parse({
    algorithm: "bupo",
    seed: 5,
    model: { source: "preset", family: "qwen3", preset: "tiny" },
    warmStart: { sftSteps: SFT_STEPS, batchSize: 8, lr: 1e-3 },
    rl: {
      totalSteps: RL_STEPS,
      iterativeSteps: 1,
      internalLayer: 2,
      promptsPerStep: 2,
      groupSize: 4,
      miniBatches: 2,
      lr: 1e-4,
      maxPromptTokens: 8,
      maxResponseTokens: 6,
    },
  });
}

interface RunTrace {
  sftLoss: number[];
  sftGradNorm: number[];
  rl: Array<Record<string, number>>;
}

/** RL metrics compared, with their absolute slack besides the relative 1e-4: pg_loss is exactly 0 on a step
 *  without mixed groups, ppo_kl is a mean of small log-prob differences (≈ 1e-2, float noise ≈ 1e-6). */
const RL_KEYS: Record<string, number> = {
  "actor/pg_loss": 1e-6,
  "actor/grad_norm": 1e-6,
  "actor/entropy": 0,
  "actor/ppo_kl": 1e-5,
  "critic/score/mean": 0,
};

/** The tiny preset sized to the toy tokenizer. */
function tinyConfig(): ModelConfig {
  const tok = toyTokenizer();
  return modelPreset("tiny", "qwen3", tok.vocabSize, { eosTokenId: tok.eosId });
}

/** SFT then RL steps on the wasm backend, from the same seeds, with whatever kernels are registered now. */
async function shortRun(config: RunConfig): Promise<RunTrace> {
  await tf.setBackend("wasm");
  const tokenizer = toyTokenizer();
  const task = toyTask();
  const modelConfig = tinyConfig();
  const model = { config: modelConfig, weights: initWeights(modelConfig, deriveSeed(config.seed, "init")) };
  const params = namedParameters(model.weights, model.config);
  const adam = (lr: number) =>
    new AdamW(params, { lr, betas: config.rl.betas, weightDecay: config.rl.weightDecay });
  const [sftOpt, rlOpt] = [adam(config.warmStart.lr), adam(config.rl.lr)];
  const fns = { forward, generate };
  const trace: RunTrace = { sftLoss: [], sftGradNorm: [], rl: [] };
  try {
    const common = { model, params, task, tokenizer, fns, microBatchSize: 64 };
    const sftCtx = {
      ...common,
      optimizer: sftOpt,
      gradClip: config.rl.gradClip,
      maxPromptTokens: config.rl.maxPromptTokens,
      maxResponseTokens: config.rl.maxResponseTokens,
    };
    for (let step = 1; step <= SFT_STEPS; step++) {
      const r = await runSftStep(sftCtx, step, config.warmStart.batchSize);
      trace.sftLoss.push(r.loss);
      trace.sftGradNorm.push(r.gradNorm);
    }
    const rlCtx = { ...common, config, optimizer: rlOpt, clock: () => 0 };
    for (let step = 1; step <= RL_STEPS; step++) {
      const { metrics } = await runRlStep(rlCtx, step);
      const m = metrics as Record<string, unknown>;
      trace.rl.push(Object.fromEntries(Object.keys(RL_KEYS).map((k) => [k, Number(m[k])])));
    }
  } finally {
    sftOpt.dispose();
    rlOpt.dispose();
    disposeWeights(model.weights);
  }
  return trace;
}

/** |a − b| ≤ rel · max(|a|, |b|) + abs. */
const close = (a: number, b: number, rel: number, abs = 0) =>
  Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;

describe.skipIf(!nativeAvailable)(`whole model: native kernels vs plain wasm and cpu${skipNote}`, () => {
  beforeAll(async () => {
    expect((await initBackend({ prefer: "wasm" })).nativeKernels).toBe(true);
  });
  afterAll(() => {
    installNativeKernels();
  });

  it(`${SFT_STEPS} SFT + ${RL_STEPS} RL steps of the tiny preset: same losses with and without native kernels`, {
    timeout: 120_000,
  }, async () => {
    const config = runConfig();
    const tensors = tf.memory().numTensors;
    const started = performance.now();
    installNativeKernels();
    const native = await countAddonCalls(["sgemm", "rmsNorm", "swiglu", "softmax", "adamw"], () =>
      shortRun(config),
    );
    uninstallNativeKernels();
    const plain = await countAddonCalls(["sgemm", "rmsNorm", "swiglu", "softmax", "adamw"], () =>
      shortRun(config),
    );
    installNativeKernels();
    const seconds = (performance.now() - started) / 1000;
    const a = native.result;
    const b = plain.result;
    console.info(
      `model-equivalence ${seconds.toFixed(1)} s · SFT loss native ${a.sftLoss.map((x) => x.toFixed(5))} ` +
        `plain ${b.sftLoss.map((x) => x.toFixed(5))} · RL ${JSON.stringify(a.rl)} vs ${JSON.stringify(b.rl)}`,
    );
    expect(tf.memory().numTensors).toBe(tensors);
    for (const k of ["sgemm", "rmsNorm", "swiglu", "softmax", "adamw"]) {
      expect(native.calls[k], `native run used ${k}`).toBeGreaterThan(0);
      expect(plain.calls[k], `plain run did not use ${k}`).toBe(0);
    }
    // not a constant: the warm start learns (loss falls) and every loss is a real cross-entropy
    expect(new Set(a.sftLoss.map((x) => x.toFixed(4))).size).toBe(SFT_STEPS);
    expect(a.sftLoss.at(-1)).toBeLessThan(a.sftLoss[0] as number);
    for (const x of a.sftLoss) expect(x).toBeGreaterThan(0.1);
    for (let i = 0; i < SFT_STEPS; i++) {
      expect(close(a.sftLoss[i] as number, b.sftLoss[i] as number, 1e-4), `SFT loss step ${i + 1}`).toBe(
        true,
      );
      expect(close(a.sftGradNorm[i] as number, b.sftGradNorm[i] as number, 1e-4), `grad norm ${i + 1}`).toBe(
        true,
      );
    }
    expect(a.rl).toHaveLength(RL_STEPS);
    // at least one step had mixed groups, so the policy update was not zero
    expect(Math.max(...a.rl.map((m) => m["actor/grad_norm"] as number))).toBeGreaterThan(0.1);
    for (let i = 0; i < RL_STEPS; i++) {
      for (const [k, abs] of Object.entries(RL_KEYS)) {
        const [x, y] = [a.rl[i]?.[k] as number, b.rl[i]?.[k] as number];
        expect(Number.isFinite(x), `${k} step ${i + 1}`).toBe(true);
        expect(close(x, y, 1e-4, abs), `RL ${k} step ${i + 1}: ${x} vs ${y}`).toBe(true);
      }
    }
  });

  it("forward logits of the tiny preset: wasm + native vs cpu", { timeout: 60_000 }, async () => {
    const modelConfig = tinyConfig();
    const next = rng(77);
    const T = 24;
    const tokens = toyTokens(3, T, modelConfig.vocabSize).map((row) =>
      row.map((id, t) => (t % 5 === 0 ? randInt(next, 0, modelConfig.vocabSize - 1) : id)),
    );
    const logitsOn = async (backend: "cpu" | "wasm") => {
      await tf.setBackend(backend);
      const weights = initWeights(modelConfig, 11);
      try {
        const { logits } = forward(weights, modelConfig, tokens);
        const data = Float32Array.from(logits.dataSync());
        expect(logits.shape).toEqual([3, T, modelConfig.vocabSize]);
        logits.dispose();
        return data;
      } finally {
        disposeWeights(weights);
      }
    };
    const cpu = await logitsOn("cpu");
    const { result: native, calls } = await countAddonCalls(["sgemm", "rmsNorm", "softmax", "swiglu"], () =>
      logitsOn("wasm"),
    );
    for (const k of ["sgemm", "rmsNorm", "softmax", "swiglu"]) expect(calls[k], k).toBeGreaterThan(0);
    const err = relErr(cpu, native);
    console.info(`model-equivalence forward logits max relative error vs cpu ${err.toExponential(2)}`);
    expect(Math.max(...cpu.map(Math.abs))).toBeGreaterThan(0.1);
    expect(err).toBeLessThanOrEqual(1e-5);
  });
});
