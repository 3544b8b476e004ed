/**
 * The GPU check's benchmark (scripts/gpu-check.sh): on the webgpu backend, one table of
 *   train step (forward + backward + clip + AdamW, src/train's updateOnMiniBatch) at the medium preset and at the
 *   Qwen2.5-0.5B shape; KV-cache decode at the 0.5B shape; all-layer analysis at the Qwen3-8B shape (in GPU
 *   memory; the streamed CPU analysis of `analyze --stream` is a separate path),
 * each as ms, GFLOP/s (matrix-product FLOPs, src/cli/bench-flops.ts) and share of the card's fp32 peak
 * (--peak-tflops, default 67: H100 SXM / H200 non-tensor-core fp32), plus peak GPU memory.
 *
 *   npx tsx apps/trainer/scripts/gpu-bench.ts [--peak-tflops 67] [--small --allow-software] [--probe] [--json]
 *
 * --probe prints the adapter and exits (0 hardware, 3 software, 2 none). --small runs tiny stand-ins of every
 * shape (the lavapipe dry run of the script). Weights are constants (timing does not depend on values, and a
 * host RNG would take minutes at 8 B parameters).
 */
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { analyzeInternalPolicies } from "../src/analysis/internal-policy.ts";
import { initBackend } from "../src/backend/index.ts";
import { modelConfigFromHf } from "../src/checkpoint/hf-config.ts";
import { HUB_CONFIGS } from "../src/checkpoint/hub-configs.ts";
import { analysisFlops, rolloutFlops, trainStepFlops } from "../src/cli/bench-flops.ts";
import { randomRows, timeMedian } from "../src/cli/bench-measure.ts";
import { countParameters, type ModelConfig } from "../src/model/config.ts";
import { forward } from "../src/model/forward.ts";
import { generate } from "../src/model/generate.ts";
import { modelPreset } from "../src/model/presets.ts";
import { buildWeights, disposeWeights, type ModelWeights, namedParameters } from "../src/model/weights.ts";
import { trainerCharTokenizer } from "../src/probe/tokenizer.ts";
import { DEFAULT_POLICY_LOSS_OPTIONS } from "../src/rl/policy-loss.ts";
import { AdamW } from "../src/train/adamw.ts";
import { buildMicroBatches } from "../src/train/batching.ts";
import { computeOldLogProbs, disposePrepared, updateOnMiniBatch } from "../src/train/policy-update.ts";

const { values: flags } = parseArgs({
  options: {
    "peak-tflops": { type: "string", default: "67" },
    small: { type: "boolean", default: false },
    "allow-software": { type: "boolean", default: false },
    probe: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    reps: { type: "string", default: "3" },
  },
});
const peakGflops = Number(flags["peak-tflops"]) * 1000;
const repeats = { warmup: 1, reps: Math.max(1, Number(flags.reps)) };
const log = (line: string) => process.stderr.write(`gpu-bench: ${line}\n`);

/** Qwen2.5-0.5B's config.json (the ~0.5 B real shape of the issue). */
const QWEN2_5_0_5B = {
  architectures: ["Qwen2ForCausalLM"],
  hidden_act: "silu",
  hidden_size: 896,
  intermediate_size: 4864,
  max_position_embeddings: 32768,
  model_type: "qwen2",
  num_attention_heads: 14,
  num_hidden_layers: 24,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000.0,
  tie_word_embeddings: true,
  vocab_size: 151936,
};

/** Tiny stand-ins for --small (same families and traits, sizes a software adapter runs in seconds). */
const shrink = (c: ModelConfig): ModelConfig => ({
  ...c,
  numLayers: 2,
  hiddenSize: 64,
  numHeads: 4,
  numKvHeads: 2,
  headDim: 16,
  intermediateSize: 128,
  vocabSize: 512,
});

const CONSTANT = { normal: 0.02, ones: 1, zeros: 0 } as const;
const constantWeights = (c: ModelConfig): ModelWeights =>
  buildWeights(c, (spec) => tf.fill(spec.shape, CONSTANT[spec.init]));

interface Row {
  measure: string;
  shape: string;
  parameters: number;
  ms: number;
  gflops: number;
  extra?: string;
}

const gpuBytes = (): number =>
  Number((tf.memory() as { numBytesAllocatedInGPU?: number }).numBytesAllocatedInGPU ?? 0);

async function trainStep(label: string, c: ModelConfig, B: number, P: number, R: number): Promise<Row> {
  log(`${label}: building ${(countParameters(c) / 1e6).toFixed(0)} M parameters`);
  const weights = constantWeights(c);
  const params = namedParameters(weights, c);
  const optimizer = new AdamW(params, { lr: 1e-5, betas: [0.9, 0.999], weightDecay: 0.01 });
  const model = { config: c, weights };
  const fns = { forward, generate };
  const prompts = randomRows(B, P, c.vocabSize, 11);
  const responses = randomRows(B, R, c.vocabSize, 12);
  const pairs = prompts.map((promptIds, i) => ({ promptIds, responseIds: responses[i] as number[] }));
  const micro = buildMicroBatches(
    pairs,
    pairs.map((_, i) => i),
    { microBatchSize: B, padId: 0, advantages: pairs.map((_, i) => (i % 2 ? -1 : 1)) },
  );
  const head = { kind: "final" } as const;
  const old = await computeOldLogProbs(fns, model, [micro], head, 1);
  const mini = old.miniBatches[0];
  if (mini === undefined) throw new Error("no mini-batch");
  const ctx = {
    fns,
    model,
    params,
    optimizer,
    temperature: 1,
    gradClip: 1,
    policyLoss: "vanilla",
    lossOptions: DEFAULT_POLICY_LOSS_OPTIONS,
  };
  try {
    log(`${label}: train step ×${repeats.warmup + repeats.reps}`);
    const ms = await timeMedian(repeats, async () => {
      await updateOnMiniBatch(ctx, mini, 0, head);
    });
    return {
      measure: "train step",
      shape: `${label}, ${B}×${P + R} tokens`,
      parameters: countParameters(c),
      ms,
      gflops: trainStepFlops(c, B, P + R) / ms / 1e6,
    };
  } finally {
    disposePrepared(old.miniBatches);
    optimizer.dispose();
    disposeWeights(weights);
  }
}

async function decode(label: string, c: ModelConfig, B: number, P: number, R: number): Promise<Row> {
  const weights = constantWeights(c);
  try {
    const prompts = randomRows(B, P, c.vocabSize, 13);
    log(`${label}: decode ${B}×${R} tokens ×${repeats.warmup + repeats.reps}`);
    const ms = await timeMedian(repeats, async () => {
      await generate(weights, c, prompts, { maxNewTokens: R, seed: 3, eosId: null });
    });
    return {
      measure: "decode (KV cache)",
      shape: `${label}, ${B} rows, ${P} + ${R} tokens`,
      parameters: countParameters(c),
      ms,
      gflops: rolloutFlops(c, B, P, R) / ms / 1e6,
      extra: `${((B * R) / (ms / 1000)).toFixed(1)} tok/s`,
    };
  } finally {
    disposeWeights(weights);
  }
}

async function analysis(label: string, c: ModelConfig, B: number, T: number): Promise<Row> {
  log(`${label}: building ${(countParameters(c) / 1e9).toFixed(2)} B parameters for analysis`);
  const weights = constantWeights(c);
  try {
    const rows = randomRows(B, T, c.vocabSize, 14);
    log(`${label}: analysis ${B}×${T} tokens ×${repeats.warmup + repeats.reps}`);
    const ms = await timeMedian(repeats, async () => {
      await analyzeInternalPolicies(weights, c, rows);
    });
    return {
      measure: "analysis (all layers)",
      shape: `${label}, ${B}×${T} tokens`,
      parameters: countParameters(c),
      ms,
      gflops: analysisFlops(c, B, T) / ms / 1e6,
    };
  } finally {
    disposeWeights(weights);
  }
}

async function main(): Promise<void> {
  const info = await initBackend({
    prefer: "webgpu",
    webgpu: { allowSoftware: flags["allow-software"] },
  }).catch((err: Error) => {
    process.stdout.write(`gpu-bench: no usable GPU: ${err.message}\n`);
    process.exit(flags.probe && /software adapter/.test(err.message) ? 3 : 2);
  });
  const g = info.gpu;
  process.stdout.write(`adapter: ${JSON.stringify(g)}\n`);
  if (flags.probe) process.exit(0);

  const small = flags.small;
  const fit = (c: ModelConfig) => (small ? shrink(c) : c);
  const name = (label: string) => (small ? `${label} (tiny stand-in)` : label);
  // The medium preset with the trainer's char vocabulary, as `bench` measures it on the CPU (BENCHMARKS.md).
  const medium = modelPreset("medium", "qwen3", trainerCharTokenizer().vocabSize);
  const half = fit(modelConfigFromHf(QWEN2_5_0_5B, "Qwen2.5-0.5B"));
  const eight = fit(modelConfigFromHf(HUB_CONFIGS["Qwen3-8B"], "Qwen3-8B"));
  const rows: Row[] = [];
  const failures: string[] = [];
  const attempt = async (name: string, fn: () => Promise<Row>) => {
    try {
      rows.push(await fn());
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message.split("\n")[0]}`);
      log(`${name} failed: ${(err as Error).message}`);
    }
  };
  await attempt("train medium", () =>
    trainStep(name("medium preset (qwen3)"), small ? shrink(medium) : medium, small ? 2 : 16, 32, 32),
  );
  await attempt("train 0.5B", () =>
    trainStep(name("Qwen2.5-0.5B"), half, small ? 2 : 8, small ? 8 : 64, small ? 8 : 64),
  );
  await attempt("decode 0.5B", () =>
    decode(name("Qwen2.5-0.5B"), half, small ? 2 : 16, small ? 8 : 64, small ? 4 : 64),
  );
  await attempt("analysis 8B", () => analysis(name("Qwen3-8B"), eight, 1, small ? 8 : 128));
  const peakBytes = gpuBytes();

  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ adapter: g, peakGflops, rows, peakGpuBytes: peakBytes, failures })}\n`,
    );
  } else {
    const pct = (gf: number) => `${((100 * gf) / peakGflops).toFixed(1)} %`;
    const lines = [
      `GPU check on ${g?.description || g?.device} (${g?.vendor}${g?.software ? ", SOFTWARE adapter" : ""}); fp32 peak ${peakGflops / 1000} TFLOP/s`,
      "",
      "| measure | shape | params | ms | GFLOP/s | % fp32 peak | other |",
      "|---|---|---|---|---|---|---|",
      ...rows.map(
        (r) =>
          `| ${r.measure} | ${r.shape} | ${(r.parameters / 1e6).toFixed(r.parameters < 1e7 ? 2 : 0)} M | ${r.ms.toFixed(1)} | ${r.gflops.toFixed(1)} | ${pct(r.gflops)} | ${r.extra ?? ""} |`,
      ),
      "",
      `peak GPU memory (TF.js buffer pool, never shrinks): ${(peakBytes / 2 ** 30).toFixed(2)} GiB`,
      ...failures.map((f) => `FAILED ${f}`),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  process.exit(failures.length === 0 ? 0 : 1);
}

await main();
