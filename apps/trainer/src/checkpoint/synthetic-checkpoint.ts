/**
 * Writes a checkpoint of any size with random weights, streaming: config.json as given, safetensors shards (HF
 * naming + model.safetensors.index.json when there is more than one) whose data is generated and written in
 * blocks, so memory stays at one block whatever the model size. Weights are scaled so that logit-lens entropies
 * are spread over layers (not all ≈ 0 nor all ≈ log V): W_U rows have std 1/√d, so a state's logits have the
 * std of its RMS; each layer adds attention and MLP outputs that grow the residual stream from RMS ≈ 0.3 to ≈ 6,
 * and the RMSNorm weights rise across layers. Values are uniform (a fast xorshift generator), deterministic in
 * `seed`.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ModelConfig } from "../model/config.ts";
import { weightSpecs } from "../model/weights.ts";
import { BYTES_PER_ELEMENT, encodeFromFloat32, type SafetensorsFloatDtype } from "./dtypes.ts";
import { type HfConfigJson, modelConfigFromHf } from "./hf-config.ts";

export interface SyntheticCheckpointOptions {
  /** Stored dtype (default BF16). */
  dtype?: SafetensorsFloatDtype;
  /** Max data bytes per shard (default 5 GB as on the Hub); one shard → a single model.safetensors. */
  maxShardBytes?: number;
  seed?: number;
  /** Copies tokenizer.json and tokenizer_config.json from here when given. */
  tokenizerDir?: string;
  /** Called after each tensor with bytes written so far and the total. */
  onProgress?: (written: number, total: number) => void;
}

const TORCH_DTYPE: Record<SafetensorsFloatDtype, string> = {
  F32: "float32",
  F16: "float16",
  BF16: "bfloat16",
};
/** Values generated per write. */
const BLOCK_ELEMENTS = 1 << 22;
const DEFAULT_SHARD_BYTES = 5_000_000_000;

/** How one tensor is filled: uniform values of a given std, or a constant (norm weights, biases ± noise). */
interface Fill {
  std: number;
  mean: number;
}

/** Target residual RMS after layer l (0-based) of L: quadratic growth from ~0.3 to ~6. */
const residualRms = (l: number, L: number) => 0.3 + 5.7 * ((l + 1) / L) ** 2;

/** The fill of tensor `name` (HF name) in a model of config `c`. */
export function syntheticFill(name: string, c: ModelConfig): Fill {
  const d = c.hiddenSize;
  const L = c.numLayers;
  if (name === "model.embed_tokens.weight" || name === "lm_head.weight") {
    // Tied: W_U = E (std 1/√d, h₀ tiny: near-uniform policy at layer 0). Untied: E gives h₀ RMS 0.3.
    return { std: name === "lm_head.weight" || c.tieWordEmbeddings ? 1 / Math.sqrt(d) : 0.3, mean: 0 };
  }
  if (name === "model.norm.weight") return { std: 0.05, mean: 3 };
  const m = /^model\.layers\.(\d+)\.(.+)$/.exec(name);
  if (m === null) throw new Error(`no synthetic fill for tensor ${name}`);
  const l = Number(m[1]);
  const part = m[2] as string;
  const prev = l === 0 ? 0.3 : residualRms(l - 1, L);
  const added = Math.sqrt(Math.max(1e-4, residualRms(l, L) ** 2 - prev ** 2) / 2); // RMS each module adds
  const ramp = 0.5 + (2.5 * l) / Math.max(1, L - 1); // norm weights 0.5 → 3
  if (part.endsWith("layernorm.weight")) return { std: 0.05 * ramp, mean: ramp };
  if (part.endsWith("_norm.weight")) return { std: 0.05, mean: 1 };
  if (part.endsWith(".bias")) return { std: 0.1, mean: 0 };
  // Inputs of q/k/v/gate/up are normalised (RMS ≈ ramp): outputs of RMS ≈ 1.
  if (/(q|k|v|gate|up)_proj\.weight$/.test(part)) return { std: 1 / (Math.sqrt(d) * ramp), mean: 0 };
  if (part.endsWith("o_proj.weight")) {
    const inner = c.numHeads * c.headDim; // attention context RMS ≈ 0.5 (averaged values)
    return { std: added / (Math.sqrt(inner) * 0.5), mean: 0 };
  }
  if (part.endsWith("down_proj.weight")) {
    return { std: added / (Math.sqrt(c.intermediateSize) * 0.4), mean: 0 }; // silu(g)·u RMS ≈ 0.4
  }
  throw new Error(`no synthetic fill for tensor ${name}`);
}

/** xorshift32 stream of uniform values in [−0.5, 0.5). */
function uniformStream(seed: number): (out: Float32Array, std: number, mean: number) => void {
  let x = seed >>> 0 || 0x9e3779b9;
  const scale = Math.sqrt(12) * 2 ** -32; // uniform on [−0.5, 0.5) has std 1/√12
  return (out, std, mean) => {
    const s = std * scale;
    for (let i = 0; i < out.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = mean + ((x >>> 0) - 2 ** 31) * s;
    }
  };
}

/** BF16 bytes of finite float32 values (round to nearest even) on a little-endian host; else the generic encoder. */
function encodeBlock(values: Float32Array, dtype: SafetensorsFloatDtype): Uint8Array {
  if (dtype !== "BF16" || os.endianness() !== "LE") return encodeFromFloat32(values, dtype);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i] as number;
    out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
  }
  return new Uint8Array(out.buffer);
}

interface PlannedTensor {
  name: string;
  shape: number[];
  count: number;
  bytes: number;
}

/** Consecutive groups of ≤ maxBytes (an oversized tensor gets its own shard). */
function planShards(tensors: PlannedTensor[], maxBytes: number): PlannedTensor[][] {
  const shards: PlannedTensor[][] = [[]];
  let size = 0;
  for (const t of tensors) {
    const current = shards[shards.length - 1] as PlannedTensor[];
    if (current.length > 0 && size + t.bytes > maxBytes) {
      shards.push([t]);
      size = t.bytes;
    } else {
      current.push(t);
      size += t.bytes;
    }
  }
  return shards;
}

/** The safetensors header of a shard, padded to 8 bytes, with its 8-byte length prefix. */
function shardHeader(group: PlannedTensor[], dtype: SafetensorsFloatDtype): Buffer {
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  let offset = 0;
  for (const t of group) {
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes] };
    offset += t.bytes;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const body = Buffer.from(json, "utf8");
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(body.byteLength));
  return Buffer.concat([prefix, body]);
}

/**
 * Writes config.json (+ tokenizer files) and the weights into `dir`. Returns the files written (relative).
 * Memory: one block of {@link BLOCK_ELEMENTS} values at a time.
 */
export async function writeSyntheticCheckpoint(
  dir: string,
  hfConfig: HfConfigJson,
  opts: SyntheticCheckpointOptions = {},
): Promise<string[]> {
  const dtype = opts.dtype ?? "BF16";
  const config = modelConfigFromHf(hfConfig);
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, "config.json"),
    `${JSON.stringify({ ...hfConfig, torch_dtype: TORCH_DTYPE[dtype] }, null, 2)}\n`,
  );
  const written = ["config.json"];
  const planned = weightSpecs(config).map((s) => {
    const count = s.shape.reduce((a, b) => a * b, 1);
    return { name: s.name, shape: s.shape, count, bytes: count * BYTES_PER_ELEMENT[dtype] };
  });
  const total = planned.reduce((n, t) => n + t.bytes, 0);
  const shards = planShards(planned, opts.maxShardBytes ?? DEFAULT_SHARD_BYTES);
  const pad = (n: number) => String(n).padStart(5, "0");
  const fileName = (i: number) =>
    shards.length === 1 ? "model.safetensors" : `model-${pad(i + 1)}-of-${pad(shards.length)}.safetensors`;
  const fill = uniformStream(opts.seed ?? 0);
  const block = new Float32Array(BLOCK_ELEMENTS);
  let done = 0;
  const weightMap: Record<string, string> = {};
  for (const [i, group] of shards.entries()) {
    const name = fileName(i);
    const fd = openSync(path.join(dir, name), "w");
    try {
      writeSync(fd, shardHeader(group, dtype));
      for (const t of group) {
        const { std, mean } = syntheticFill(t.name, config);
        for (let at = 0; at < t.count; at += BLOCK_ELEMENTS) {
          const values = block.subarray(0, Math.min(BLOCK_ELEMENTS, t.count - at));
          fill(values, std, mean);
          writeSync(fd, encodeBlock(values, dtype));
        }
        weightMap[t.name] = name;
        done += t.bytes;
        opts.onProgress?.(done, total);
      }
    } finally {
      closeSync(fd);
    }
    written.push(name);
  }
  if (shards.length > 1) {
    const index = { metadata: { total_size: total }, weight_map: weightMap };
    await writeFile(path.join(dir, "model.safetensors.index.json"), `${JSON.stringify(index, null, 2)}\n`);
    written.push("model.safetensors.index.json");
  }
  if (opts.tokenizerDir !== undefined) {
    for (const f of ["tokenizer.json", "tokenizer_config.json"]) {
      await copyFile(path.join(opts.tokenizerDir, f), path.join(dir, f));
      written.push(f);
    }
  }
  return written;
}
