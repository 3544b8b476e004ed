/**
 * Internal-policy analysis (bupo-spec §2–§3) of a checkpoint of any size, streamed from its files: the same
 * quantities as the in-heap `analyzeInternalPolicies` (same decoder layer code, same grouping of equal-length
 * samples, same pooling), but layer-major — each decoder layer is read once, decoded to float32 for all samples,
 * then disposed, while the next layer's bytes are already being read — and with W_U applied in vocabulary chunks
 * by the {@link ChunkedLens}. Memory: one layer of float32 weights + the queued states + one W_U chunk, whatever
 * the model size. The checkpoint folder must already be resolved (the caller validates where it may come from).
 */
import * as tf from "@tensorflow/tfjs";
import type { CheckpointTensorReader } from "../../checkpoint/tensor-reader.ts";
import { layerFlops, unembeddedStates, unembedFlops } from "../../cli/bench-flops.ts";
import { type AttentionContext, buildAttentionContext } from "../../model/attention-context.ts";
import type { ModelConfig } from "../../model/config.ts";
import { decoderLayer } from "../../model/decoder.ts";
import { rmsNorm } from "../../model/layers.ts";
import type { LayerWeights } from "../../model/weights.ts";
import { poolTokenMeans } from "../pooling.ts";
import type { InternalPolicyAnalysis, LensMode, PositionRange, SampleEntropies } from "../types.ts";
import { ChunkedLens, type ChunkedLensOptions } from "./chunked-lens.ts";
import {
  checkCheckpointTensors,
  disposeLayerWeights,
  embedRows,
  layerWeightsFrom,
  type RawLayer,
  readRawLayer,
  readVector,
  unembeddingName,
} from "./streamed-weights.ts";

/** Where a streamed analysis stands (FLOPs of matrix products: a fair clock for the ETA). */
export interface StreamedProgress {
  stage: "layers" | "unembedding" | "done";
  /** Decoder layers finished (0…L). */
  layer: number;
  layers: number;
  samples: number;
  tokens: number;
  doneFlops: number;
  totalFlops: number;
}

export interface StreamedAnalysisOptions {
  lens?: LensMode;
  trueLastLayer?: boolean;
  ranges?: (PositionRange | undefined)[];
  /** Max equal-length samples per forward group (default 16, as in-heap). */
  batchSize?: number;
  lensOptions?: Omit<ChunkedLensOptions, "signal" | "onWork">;
  signal?: AbortSignal;
  onProgress?: (p: StreamedProgress) => void;
}

/** What a streamed run read and waited for (for benchmarks). */
export interface StreamedRunStats {
  bytesRead: number;
  /** Time the computation waited for reads (layer weights and W_U chunks), not overlapped time. */
  readWaitMs: number;
  lensPasses: number;
}

interface Group {
  indices: number[];
  rows: number[][];
  ctx: AttentionContext;
  h: tf.Tensor3D; // current residual stream [B, T, d]
}

/** Equal-length groups of ≤ batchSize, in the order `analyzeInternalPolicies` forms them. */
export function groupSamples(samples: number[][], batchSize: number): number[][] {
  const byLength = new Map<number, number[]>();
  samples.forEach((s, i) => {
    byLength.set(s.length, [...(byLength.get(s.length) ?? []), i]);
  });
  const groups: number[][] = [];
  for (const indices of byLength.values())
    for (let i = 0; i < indices.length; i += batchSize) groups.push(indices.slice(i, i + batchSize));
  return groups;
}

const flat = (t: tf.Tensor3D) => tf.reshape(t, [t.shape[0] * t.shape[1], t.shape[2]]) as tf.Tensor2D;
const key = (g: number, kind: string, i: number) => `${g}/${kind}/${i}`;

/** Splits a flat [B·T] entropy array into B rows of T. */
function splitRows(values: Float32Array, B: number, T: number): number[][] {
  return Array.from({ length: B }, (_, b) => Array.from(values.subarray(b * T, (b + 1) * T)));
}

const diff = (a: number[][], b: number[][]) =>
  a.map((row, j) => row.map((v, t) => v - (b[j]?.[t] as number)));

/** Per-sample records from the lens results (same layout as the in-heap analyzeBatch). */
function assemble(
  groups: Group[],
  results: Map<string, Float32Array>,
  L: number,
  reuseLast: boolean,
  count: number,
): SampleEntropies[] {
  const out = new Array<SampleEntropies>(count);
  groups.forEach((g, gi) => {
    const B = g.rows.length;
    const T = g.rows[0]?.length ?? 0;
    const get = (kind: string, i: number) => splitRows(results.get(key(gi, kind, i)) as Float32Array, B, T);
    const finalEntropy = get("final", 0);
    const layer = Array.from({ length: L + 1 }, (_, i) =>
      i === L && reuseLast ? finalEntropy : get("h", i),
    );
    const mods = (kind: string) => Array.from({ length: L }, (_, i) => get(kind, i));
    const attnIn = mods("attnIn");
    const attnOut = mods("attnOut");
    const ffnIn = mods("ffnIn");
    const ffnOut = mods("ffnOut");
    g.indices.forEach((n, b) => {
      const pick = (xs: number[][][]) => xs.map((x) => x[b] as number[]);
      const layerEntropy = pick(layer);
      const s = {
        length: T,
        layerEntropy,
        attnInputEntropy: pick(attnIn),
        attnOutputEntropy: pick(attnOut),
        ffnInputEntropy: pick(ffnIn),
        ffnOutputEntropy: pick(ffnOut),
        finalEntropy: finalEntropy[b] as number[],
      };
      out[n] = {
        ...s,
        deltaLayer: diff(layerEntropy.slice(1), layerEntropy.slice(0, L)),
        deltaAttn: diff(s.attnOutputEntropy, s.attnInputEntropy),
        deltaFfn: diff(s.ffnOutputEntropy, s.ffnInputEntropy),
      };
    });
  });
  return out;
}

/** Matrix-product FLOPs of a streamed analysis (decoder + every unembedded state). */
export function streamedAnalysisFlops(c: ModelConfig, samples: number[][], reuseLast: boolean): number {
  const tokens = samples.reduce((n, s) => n + s.length, 0);
  const decoder = samples.reduce((n, s) => n + c.numLayers * layerFlops(c, 1, s.length, s.length), 0);
  return decoder + unembeddedStates(c.numLayers, { reuseLast }) * unembedFlops(c, tokens);
}

/**
 * Analyses `samples` (token rows, any lengths) of the checkpoint behind `reader`. Leaves no tensors behind, also
 * when cancelled (the signal's reason is thrown) or failing.
 */
export async function analyzeStreamed(
  reader: CheckpointTensorReader,
  c: ModelConfig,
  samples: number[][],
  opts: StreamedAnalysisOptions = {},
): Promise<InternalPolicyAnalysis & { stats: StreamedRunStats }> {
  const lensMode = opts.lens ?? "raw";
  const trueLastLayer = opts.trueLastLayer ?? false;
  const reuseLast = trueLastLayer || lensMode === "normed";
  const L = c.numLayers;
  if (samples.length === 0) throw new Error("no samples to analyse");
  if (samples.some((s) => s.length === 0)) throw new Error("every sample needs at least one token");
  checkCheckpointTensors(reader, c);
  const tokens = samples.reduce((n, s) => n + s.length, 0);
  const progress: StreamedProgress = {
    stage: "layers",
    layer: 0,
    layers: L,
    samples: samples.length,
    tokens,
    doneFlops: 0,
    totalFlops: streamedAnalysisFlops(c, samples, reuseLast),
  };
  const report = () => opts.onProgress?.({ ...progress });
  const signal = opts.signal;
  const lens = new ChunkedLens(reader, unembeddingName(c), {
    ...opts.lensOptions,
    ...(signal === undefined ? {} : { signal }),
    onWork: (flops) => {
      progress.doneFlops += flops;
      report();
    },
  });
  const groups: Group[] = [];
  let finalNorm: tf.Tensor1D | undefined;
  let layerWeights: LayerWeights | undefined;
  let nextRaw: Promise<RawLayer> | undefined;
  let readWaitMs = 0;
  const waitFor = async <T>(p: Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await p;
    } finally {
      readWaitMs += performance.now() - started;
    }
  };
  try {
    nextRaw = readRawLayer(reader, c, 0);
    finalNorm = await readVector(reader, "model.norm.weight");
    const norm = finalNorm;
    /** A residual stream as the lens sees it: raw, or through the final norm under the normed lens. */
    const lensState = (h: tf.Tensor3D) =>
      tf.tidy(() => (lensMode === "normed" ? rmsNorm(flat(h), norm, c.rmsNormEps) : flat(h)));
    for (const indices of groupSamples(samples, Math.max(1, opts.batchSize ?? 16))) {
      const rows = indices.map((n) => samples[n] as number[]);
      const h = await embedRows(reader, c, rows);
      const ctx = buildAttentionContext(c, rows.length, rows[0]?.length ?? 0, 0);
      groups.push({ indices, rows, ctx, h });
      await lens.add(key(groups.length - 1, "h", 0), lensState(h));
    }
    report();
    for (let i = 0; i < L; i++) {
      signal?.throwIfAborted();
      const raw = await waitFor(nextRaw as Promise<RawLayer>);
      nextRaw = i + 1 < L ? readRawLayer(reader, c, i + 1) : undefined;
      layerWeights = layerWeightsFrom(raw);
      for (const [gi, g] of groups.entries()) {
        const out = decoderLayer(layerWeights, c, g.h, g.ctx, undefined, true, false);
        g.h.dispose();
        g.h = out.h;
        const r = out.record as NonNullable<typeof out.record>;
        const T = g.rows[0]?.length ?? 0;
        await lens.add(key(gi, "attnIn", i), flat(r.attnIn));
        await lens.add(key(gi, "attnOut", i), flat(r.attnOut));
        await lens.add(key(gi, "ffnIn", i), flat(r.ffnIn));
        await lens.add(key(gi, "ffnOut", i), flat(r.ffnOut));
        tf.dispose([r.attnIn, r.attnOut, r.ffnIn, r.ffnOut]);
        if (i < L - 1 || !reuseLast) await lens.add(key(gi, "h", i + 1), lensState(g.h));
        progress.doneFlops += layerFlops(c, g.rows.length, T, T);
      }
      disposeLayerWeights(layerWeights);
      layerWeights = undefined;
      progress.layer = i + 1;
      report();
    }
    for (const [gi, g] of groups.entries()) {
      await lens.add(
        key(gi, "final", 0),
        tf.tidy(() => rmsNorm(flat(g.h), norm, c.rmsNormEps)),
      );
    }
    progress.stage = "unembedding";
    report();
    await lens.flush();
    progress.stage = "done";
    report();
    const entropies = assemble(groups, lens.results, L, reuseLast, samples.length);
    return {
      lens: lensMode,
      trueLastLayer,
      samples: entropies,
      means: poolTokenMeans(entropies, opts.ranges ?? []),
      stats: {
        bytesRead: reader.stats.bytes,
        readWaitMs: readWaitMs + lens.stats.readWaitMs,
        lensPasses: lens.stats.passes,
      },
    };
  } finally {
    nextRaw?.catch(() => undefined); // a prefetch still in flight after an error or abort
    if (layerWeights !== undefined) disposeLayerWeights(layerWeights);
    lens.dispose();
    finalNorm?.dispose();
    for (const g of groups) tf.dispose([g.h, g.ctx.cos, g.ctx.sin, g.ctx.mask]);
  }
}
