/**
 * The weights a streamed pass needs, read from the checkpoint files on demand: one decoder layer at a time (raw
 * stored-dtype bytes first, so the next layer's reads overlap the current layer's compute; float32 tensors in the
 * heap only while that layer is computed), the embedding rows of the probed tokens, the final norm, and the name
 * of the unembedding matrix (read later in vocabulary chunks by the chunked lens).
 */
import * as tf from "@tensorflow/tfjs";
import { decodeToFloat32 } from "../../checkpoint/dtypes.ts";
import { type CheckpointTensorReader, type StoredTensor, sizeOfRow } from "../../checkpoint/tensor-reader.ts";
import type { ModelConfig } from "../../model/config.ts";
import { type LayerWeights, weightSpecs } from "../../model/weights.ts";

/** One layer's tensors as stored (bytes outside the wasm heap). */
export interface RawLayer {
  index: number;
  tensors: { stored: StoredTensor; bytes: Uint8Array }[];
}

/** W_U: lm_head, or the embedding matrix when tied. */
export function unembeddingName(c: ModelConfig): string {
  return c.tieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight";
}

/** Throws naming the first tensor the config needs that the files lack or store with another shape. */
export function checkCheckpointTensors(reader: CheckpointTensorReader, c: ModelConfig): void {
  const missing: string[] = [];
  for (const spec of weightSpecs(c)) {
    const t = reader.find(spec.name);
    if (t === undefined) missing.push(spec.name);
    else if (t.shape.join() !== spec.shape.join())
      throw new Error(`${reader.dir}: tensor ${spec.name} has shape [${t.shape}], expected [${spec.shape}]`);
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 8).join(", ");
    throw new Error(
      `${reader.dir}: checkpoint is missing ${missing.length} tensor(s): ${shown}${missing.length > 8 ? ", …" : ""}`,
    );
  }
}

/** Stored bytes of layer i's tensors (positioned reads; no decoding). */
export async function readRawLayer(
  reader: CheckpointTensorReader,
  c: ModelConfig,
  i: number,
): Promise<RawLayer> {
  const prefix = `model.layers.${i}.`;
  const names = weightSpecs(c)
    .filter((s) => s.name.startsWith(prefix))
    .map((s) => s.name);
  const tensors = await Promise.all(
    names.map(async (name) => ({ stored: reader.get(name), bytes: await reader.readRows(name) })),
  );
  return { index: i, tensors };
}

/** Stored bytes of one layer (for memory estimates). */
export function layerStoredBytes(reader: CheckpointTensorReader, c: ModelConfig, i = 0): number {
  const prefix = `model.layers.${i}.`;
  return weightSpecs(c)
    .filter((s) => s.name.startsWith(prefix))
    .reduce((n, s) => n + reader.get(s.name).byteLength, 0);
}

/** Decodes a raw layer into float32 tensors in the heap (caller disposes with {@link disposeLayerWeights}). */
export function layerWeightsFrom(raw: RawLayer): LayerWeights {
  const byName = new Map<string, tf.Variable>();
  try {
    for (const { stored, bytes } of raw.tensors) {
      const values = decodeToFloat32(bytes, stored.dtype);
      const t = tf.tensor(values, stored.shape, "float32");
      byName.set(stored.name, tf.variable(t, false));
      t.dispose();
    }
  } catch (err) {
    for (const v of byName.values()) v.dispose();
    throw err;
  }
  const p = `model.layers.${raw.index}`;
  const get = (name: string) => byName.get(`${p}.${name}`) as tf.Variable;
  const opt = (name: string) => byName.get(`${p}.${name}`);
  const selfAttn: LayerWeights["selfAttn"] = {
    qProj: get("self_attn.q_proj.weight"),
    kProj: get("self_attn.k_proj.weight"),
    vProj: get("self_attn.v_proj.weight"),
    oProj: get("self_attn.o_proj.weight"),
  };
  const optional = {
    qBias: opt("self_attn.q_proj.bias"),
    kBias: opt("self_attn.k_proj.bias"),
    vBias: opt("self_attn.v_proj.bias"),
    qNorm: opt("self_attn.q_norm.weight"),
    kNorm: opt("self_attn.k_norm.weight"),
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== undefined) selfAttn[k as keyof typeof optional] = v;
  return {
    inputLayernorm: get("input_layernorm.weight"),
    selfAttn,
    postAttentionLayernorm: get("post_attention_layernorm.weight"),
    mlp: {
      gateProj: get("mlp.gate_proj.weight"),
      upProj: get("mlp.up_proj.weight"),
      downProj: get("mlp.down_proj.weight"),
    },
  };
}

/** Disposes every tensor of one layer. */
export function disposeLayerWeights(lw: LayerWeights): void {
  const all: tf.Tensor[] = [
    lw.inputLayernorm,
    lw.postAttentionLayernorm,
    lw.mlp.gateProj,
    lw.mlp.upProj,
    lw.mlp.downProj,
  ];
  for (const v of Object.values(lw.selfAttn)) if (v) all.push(v);
  tf.dispose(all);
}

/** A 1-D tensor (e.g. model.norm.weight) as float32 in the heap. */
export async function readVector(reader: CheckpointTensorReader, name: string): Promise<tf.Tensor1D> {
  const { values } = await reader.readFloat32(name);
  return tf.tensor1d(values, "float32");
}

/**
 * h₀ = E[x] for rows of equal length: the embedding rows of the distinct ids are read one by one (a few KB
 * each) instead of the whole [V, d] matrix. Returns [B, T, d] (caller disposes).
 */
export async function embedRows(
  reader: CheckpointTensorReader,
  c: ModelConfig,
  rows: number[][],
): Promise<tf.Tensor3D> {
  const name = "model.embed_tokens.weight";
  const d = sizeOfRow(reader.get(name).shape);
  const distinct = [...new Set(rows.flat())];
  const vectors = new Map<number, Float32Array>();
  for (const id of distinct) {
    if (!Number.isInteger(id) || id < 0 || id >= c.vocabSize)
      throw new Error(`token id ${id} outside [0, ${c.vocabSize})`);
    vectors.set(id, (await reader.readFloat32(name, id, 1)).values);
  }
  const B = rows.length;
  const T = rows[0]?.length ?? 0;
  const out = new Float32Array(B * T * d);
  rows.forEach((row, b) => {
    row.forEach((id, t) => {
      out.set(vectors.get(id) as Float32Array, (b * T + t) * d);
    });
  });
  return tf.tensor3d(out, [B, T, d], "float32");
}
