/**
 * The measurements behind `bench`, one preset in one kernel mode at a time: train step (src/train's
 * `updateOnMiniBatch`: forward + backward + clip + AdamW over B × (P + R) tokens) and its kernel profile, no-grad
 * forward, KV-cache rollout, all-layer analysis, memory; plus the tfjs matMul. Every timing is the median of
 * `reps` runs after `warmup` runs; each run ends with a host read-back, so queued backend work is included.
 */
import * as tf from "@tensorflow/tfjs";
import { analyzeInternalPolicies } from "../analysis/internal-policy.ts";
import { countParameters, type ModelConfig, type ModelFamily } from "../model/config.ts";
import { forward } from "../model/forward.ts";
import { generate } from "../model/generate.ts";
import { initWeights } from "../model/init-weights.ts";
import { type ModelPresetName, modelPreset } from "../model/presets.ts";
import { createRng } from "../model/sampling.ts";
import { disposeWeights, namedParameters } from "../model/weights.ts";
import { DEFAULT_POLICY_LOSS_OPTIONS } from "../rl/policy-loss.ts";
import { AdamW } from "../train/adamw.ts";
import { buildMicroBatches } from "../train/batching.ts";
import { computeOldLogProbs, disposePrepared, updateOnMiniBatch } from "../train/policy-update.ts";
import { analysisFlops, forwardFlops, matMulFlops, rolloutFlops, trainStepFlops } from "./bench-flops.ts";
import { profileStep, type StepProfile } from "./bench-profile.ts";

export interface BenchShape {
  /** Sequences per train step / rollout / analysis batch. */
  batch: number;
  promptTokens: number;
  responseTokens: number;
}

export interface Repeats {
  warmup: number;
  reps: number;
}

/** "native": the addon's kernels installed; "plain": the backend's own kernels (stock wasm, cpu, ...). */
export type KernelMode = "native" | "plain";

export const STAGES = ["train", "forward", "rollout", "analysis"] as const;
export type Stage = (typeof STAGES)[number];

export interface PresetResult {
  preset: ModelPresetName;
  family: ModelFamily;
  mode: KernelMode;
  parameters: number;
  config: Pick<ModelConfig, "numLayers" | "hiddenSize" | "intermediateSize" | "vocabSize">;
  /** Matrix-product FLOPs per stage (bench-flops.ts): train step, one no-grad forward of the same batch (the
   *  old-log-prob pass), B×R sampled tokens with the KV cache, all-layer analysis of the B×(P+R) tokens. */
  flops: Record<Stage, number>;
  /** Median wall time per stage (ms). */
  ms: Record<Stage, number>;
  rolloutTokensPerS: number;
  analysisTokensPerS: number;
  /** One profiled train step: peak tensor bytes and the kernels with the most time. */
  trainProfile: StepProfile;
  /** Process peak RSS so far (bytes). Presets run smallest first, so this is this preset's peak. */
  peakRssBytes: number;
  /** wasm linear memory (grows, never shrinks); undefined on other backends. */
  wasmHeapBytes?: number;
  /** Tensors alive after the preset's measurements (weights and optimizer state included). */
  tfNumTensors: number;
  /** Tensors leaked across all timed runs (should be 0). */
  leakedTensors: number;
}

export interface MatMulResult {
  size: number;
  ms: number;
  gflops: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Median wall time (ms) of `fn` over `reps` runs after `warmup` runs. */
export async function timeMedian(r: Repeats, fn: () => Promise<void>): Promise<number> {
  for (let i = 0; i < r.warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < r.reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Bytes of the wasm backend's linear memory, when wasm is active. */
export function wasmHeapBytes(): number | undefined {
  if (tf.getBackend() !== "wasm") return undefined;
  const b = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return b.wasm?.HEAPU8?.buffer.byteLength;
}

export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Seeded random ids in [3, V) (skipping the char tokenizer's specials). */
export function randomRows(rows: number, length: number, V: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () =>
    Array.from({ length }, () => 3 + Math.floor(rng() * Math.max(1, V - 3))),
  );
}

/**
 * All measurements of one preset with the kernels currently registered (`mode` labels them; `nativeKernels`
 * names the addon's, for the profile). Weights and optimizer state are freed before returning.
 */
export async function benchPreset(
  preset: ModelPresetName,
  family: ModelFamily,
  vocabSize: number,
  shape: BenchShape,
  r: Repeats,
  mode: { mode: KernelMode; nativeKernels: readonly string[] },
  log: (stage: string) => void,
): Promise<PresetResult> {
  const tensorsBefore = tf.memory().numTensors;
  const config = modelPreset(preset, family, vocabSize);
  const weights = initWeights(config, 1);
  const model = { config, weights };
  const params = namedParameters(weights, config);
  const optimizer = new AdamW(params, { lr: 1e-5, betas: [0.9, 0.999], weightDecay: 0.01 });
  const { batch: B, promptTokens: P, responseTokens: R } = shape;
  const T = P + R;
  try {
    // Train step: one mini-batch of B responses in one micro-batch, advantages ±1, final head (phase 2).
    const prompts = randomRows(B, P, vocabSize, 11);
    const responses = randomRows(B, R, vocabSize, 12);
    const pairs = prompts.map((promptIds, i) => ({ promptIds, responseIds: responses[i] as number[] }));
    const advantages = pairs.map((_, i) => (i % 2 === 0 ? 1 : -1));
    const indices = pairs.map((_, i) => i);
    const micro = buildMicroBatches(pairs, indices, { microBatchSize: B, padId: 0, advantages });
    const head = { kind: "final" } as const;
    const fns = { forward, generate };
    const old = await computeOldLogProbs(fns, model, [micro], head, 1);
    const mini = old.miniBatches[0];
    if (!mini) throw new Error("no mini-batch");
    const ctx = {
      fns,
      model,
      params,
      optimizer,
      temperature: 1,
      gradClip: 1,
      policyLoss: "vanilla",
      lossOptions: DEFAULT_POLICY_LOSS_OPTIONS, // clip 0.2/0.2, dual clip 10, token-mean
    };
    const trainStep = async () => {
      await updateOnMiniBatch(ctx, mini, 0, head);
    };
    const tag = `${preset} (${mode.mode})`;
    let trainMs: number;
    let trainProfile: StepProfile;
    let forwardMs: number;
    let leaked = 0;
    let steady = tf.memory().numTensors;
    try {
      log(`${tag}: train step ×${r.warmup + r.reps} + 1 profiled`);
      trainMs = await timeMedian(r, trainStep);
      trainProfile = await profileStep(trainStep, mode.nativeKernels);
      log(`${tag}: forward ×${r.warmup + r.reps}`);
      const ids = mini.micro[0]?.t.ids as tf.Tensor2D;
      forwardMs = await timeMedian(r, async () => {
        const z = tf.tidy(() => tf.sum(forward(weights, config, ids).logits));
        await z.data();
        z.dispose();
      });
      leaked += tf.memory().numTensors - steady;
    } finally {
      disposePrepared(old.miniBatches);
    }
    steady = tf.memory().numTensors;

    log(`${tag}: rollout ×${r.warmup + r.reps}`);
    const rolloutMs = await timeMedian(r, async () => {
      await generate(weights, config, prompts, { maxNewTokens: R, seed: 3, eosId: null });
    });

    log(`${tag}: analysis ×${r.warmup + r.reps}`);
    const sequences = prompts.map((p, i) => [...p, ...(responses[i] as number[])]);
    const analysisMs = await timeMedian(r, async () => {
      await analyzeInternalPolicies(weights, config, sequences);
    });

    leaked += tf.memory().numTensors - steady;
    return {
      preset,
      family,
      mode: mode.mode,
      parameters: countParameters(config),
      config: {
        numLayers: config.numLayers,
        hiddenSize: config.hiddenSize,
        intermediateSize: config.intermediateSize,
        vocabSize,
      },
      flops: {
        train: trainStepFlops(config, B, T),
        forward: forwardFlops(config, B, T),
        rollout: rolloutFlops(config, B, P, R),
        analysis: analysisFlops(config, B, T),
      },
      ms: { train: trainMs, forward: forwardMs, rollout: rolloutMs, analysis: analysisMs },
      rolloutTokensPerS: (B * R) / (rolloutMs / 1000),
      analysisTokensPerS: (B * T) / (analysisMs / 1000),
      trainProfile,
      peakRssBytes: peakRssBytes(),
      wasmHeapBytes: wasmHeapBytes(),
      tfNumTensors: tf.memory().numTensors,
      leakedTensors: leaked,
    };
  } finally {
    optimizer.dispose();
    disposeWeights(weights);
    const left = tf.memory().numTensors - tensorsBefore;
    if (left !== 0) log(`${preset} (${mode.mode}): warning: ${left} tensor(s) left behind`);
  }
}

/**
 * tfjs float32 matMul [n, n] × [n, n] through whatever BatchMatMul is registered. It ends with a read-back of one
 * element (a 1×1 slice), which still waits for the product on any backend but keeps the n² host copy (and its
 * fresh-page faults) out of a number meant to sit next to the raw sgemm.
 */
export async function benchMatMul(n: number, r: Repeats): Promise<MatMulResult> {
  const [a, b] = tf.tidy(() => [
    tf.randomNormal([n, n], 0, 1, "float32", 1),
    tf.randomNormal([n, n], 0, 1, "float32", 2),
  ]);
  try {
    const ms = await timeMedian(r, async () => {
      const corner = tf.tidy(() => tf.slice(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), [0, 0], [1, 1]));
      await corner.data();
      corner.dispose();
    });
    return { size: n, ms, gflops: matMulFlops(n, n, n) / 1e6 / ms };
  } finally {
    tf.dispose([a as tf.Tensor, b as tf.Tensor]);
  }
}
