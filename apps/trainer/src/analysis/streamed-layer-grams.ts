/**
 * {@link layerGrams} for a checkpoint of any size (issue 15, checkpoint comparison at real sizes): the residual
 * streams are computed layer-major straight from the files — each decoder layer read once, decoded to float32
 * for all sample groups, then disposed (the next layer is read meanwhile) — with the same layer code, grouping
 * and pooled-token collector as the in-heap path. No W_U is read. Memory: one layer of float32 weights, the
 * groups' residual streams [B, T, d], one depth's pooled rows (N × d) and the Grams so far ((L+1) × N², N ≤ 512
 * tokens by default: 1 MiB per depth).
 */
import * as tf from "@tensorflow/tfjs";
import type { CheckpointTensorReader } from "../checkpoint/tensor-reader.ts";
import { buildAttentionContext } from "../model/attention-context.ts";
import type { ModelConfig } from "../model/config.ts";
import { decoderLayer } from "../model/decoder.ts";
import type { LayerWeights } from "../model/weights.ts";
import type { LayerGrams } from "./layer-comparison.ts";
import { DEFAULT_SIMILARITY_TOKENS, PooledStates } from "./pooled-states.ts";
import { groupSamples } from "./streamed/streamed-analysis.ts";
import {
  checkCheckpointTensors,
  disposeLayerWeights,
  embedRows,
  layerWeightsFrom,
  type RawLayer,
  readRawLayer,
} from "./streamed/streamed-weights.ts";
import type { PositionRange } from "./types.ts";

/** Grams of h_0 … h_L of `samples` through the checkpoint behind `reader`. Leaves no tensors behind. */
export async function streamedLayerGrams(
  reader: CheckpointTensorReader,
  c: ModelConfig,
  samples: number[][],
  ranges: (PositionRange | undefined)[] = [],
  opts: { maxTokens?: number; batchSize?: number; signal?: AbortSignal } = {},
): Promise<LayerGrams> {
  checkCheckpointTensors(reader, c);
  const pooled = new PooledStates(
    c.numLayers + 1,
    samples.map((s) => s.length),
    ranges,
    opts.maxTokens ?? DEFAULT_SIMILARITY_TOKENS,
  );
  if (pooled.numTokens === 0) throw new Error("no pooled token to compare");
  const groups: { indices: number[]; h: tf.Tensor3D; ctx: ReturnType<typeof buildAttentionContext> }[] = [];
  let nextRaw: Promise<RawLayer> | undefined;
  let layer: LayerWeights | undefined;
  const grams: Float32Array[] = [];
  /** Depth complete for every group: keep its Gram (N²), drop its rows (N·d). */
  const takeGram = async (depth: number) => {
    grams.push(await pooled.gram(depth));
    pooled.release(depth);
  };
  try {
    nextRaw = readRawLayer(reader, c, 0);
    for (const indices of groupSamples(samples, Math.max(1, opts.batchSize ?? 16))) {
      const rows = indices.map((n) => samples[n] as number[]);
      const h = await embedRows(reader, c, rows); // [B, T, d]
      groups.push({ indices, h, ctx: buildAttentionContext(c, rows.length, rows[0]?.length ?? 0, 0) });
      await pooled.add(0, h, indices);
    }
    await takeGram(0);
    for (let i = 0; i < c.numLayers; i++) {
      opts.signal?.throwIfAborted();
      const raw = await (nextRaw as Promise<RawLayer>);
      nextRaw = i + 1 < c.numLayers ? readRawLayer(reader, c, i + 1) : undefined;
      layer = layerWeightsFrom(raw);
      for (const g of groups) {
        const out = decoderLayer(layer, c, g.h, g.ctx, undefined, false, false);
        g.h.dispose();
        g.h = out.h; // [B, T, d]
        await pooled.add(i + 1, g.h, g.indices);
      }
      disposeLayerWeights(layer);
      layer = undefined;
      await takeGram(i + 1);
    }
  } finally {
    nextRaw?.catch(() => undefined); // a prefetch still in flight after an error or abort
    if (layer !== undefined) disposeLayerWeights(layer);
    for (const g of groups) tf.dispose([g.h, g.ctx.cos, g.ctx.sin, g.ctx.mask]);
  }
  return { numTokens: pooled.numTokens, grams };
}
