/**
 * One measured run of `bench-stream` (in its own process, so peak RSS is this job's): the sgemm peak with the
 * BLAS threads the job uses, then the streamed all-layer analysis (raw lens, every layer and module) of B random
 * sequences of T tokens, optionally followed by streamed batched decoding. Returns plain numbers (JSON).
 */
import os from "node:os";
import path from "node:path";
import { estimateStreamed } from "../analysis/streamed/memory-plan.ts";
import { analyzeStreamed, streamedAnalysisFlops } from "../analysis/streamed/streamed-analysis.ts";
import { generateStreamed } from "../analysis/streamed/streamed-generate.ts";
import { initBackend } from "../backend/index.ts";
import { nativeKernelOptions, readTrainerEnv } from "../env.ts";
import { createRng } from "../model/sampling.ts";
import { openStreamedCheckpoint } from "../probe/streamed-model.ts";
import { layerFlops, unembedFlops } from "./bench-flops.ts";
import { wasmHeapBytes } from "./bench-measure.ts";
import { benchAddon, benchSgemm } from "./bench-sgemm.ts";

export interface StreamRunOptions {
  dir: string;
  batch: number;
  tokens: number;
  /** Decoding steps after the analysis (0 = none), batch `decodeBatch`, 16-token prompts. */
  decodeSteps: number;
  decodeBatch: number;
}

export interface StreamRunResult {
  model: string;
  family: string;
  parameters: number;
  numLayers: number;
  vocabSize: number;
  batch: number;
  tokens: number;
  threads: number;
  sgemmPeakGflops: number;
  flops: number;
  floorMs: number;
  ms: number;
  readWaitMs: number;
  bytesRead: number;
  lensPasses: number;
  estimatedPeakMiB: number;
  peakRssMiB: number;
  heapMiB: number;
  loadAvg: number;
  /** Contention-robust view: user+system CPU time of the analysis, and sgemm GFLOP per CPU-second. */
  cpuMs: number;
  cpuPeakGflops: number;
  decode?: {
    batch: number;
    steps: number;
    msPerStep: number;
    tokensPerSecond: number;
    weightBytes: number;
    bandwidthGBs: number;
    flopsPerStep: number;
    /** bytes of weights ÷ bandwidth + step FLOPs at the sgemm peak. */
    boundMs: number;
  };
}

/** Host memory bandwidth: copies of a 512 MiB buffer (read + write counted once each), best of 3. */
function memoryBandwidthGBs(): number {
  const n = 512 * 2 ** 20;
  const a = Buffer.alloc(n, 1);
  const b = Buffer.alloc(n);
  let best = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    a.copy(b);
    best = Math.max(best, (2 * n) / ((performance.now() - t0) / 1000) / 1e9);
  }
  return best;
}

const MiB = 2 ** 20;

export async function runStreamBench(o: StreamRunOptions): Promise<StreamRunResult> {
  const env = readTrainerEnv();
  const native = nativeKernelOptions(env);
  await initBackend({ prefer: "wasm", native });
  const threads = env.BUPO_BLAS_THREADS;
  const addon = benchAddon(native);
  if (!("addon" in addon)) throw new Error(`bench-stream needs the native addon: ${addon.reason}`);
  const peak = await benchSgemm(addon.addon, [1024, 2048], { warmup: 1, reps: 3 }, threads);
  const cpu0 = process.cpuUsage();
  await benchSgemm(addon.addon, [2048], { warmup: 0, reps: 3 }, threads);
  const cpuSgemm = process.cpuUsage(cpu0);
  const cpuPeakGflops = (3 * 2 * 2048 ** 3) / ((cpuSgemm.user + cpuSgemm.system) * 1e3); // FLOP / µs·1e3 = GFLOP/s
  const model = await openStreamedCheckpoint(o.dir);
  try {
    const c = model.config;
    const rng = createRng(11);
    const samples = Array.from({ length: o.batch }, () =>
      Array.from({ length: o.tokens }, () => Math.floor(rng() * c.vocabSize)),
    );
    const flops = streamedAnalysisFlops(c, samples, false);
    const estimate = estimateStreamed(c, {
      sampleLengths: samples.map((s) => s.length),
      storedBytesPerElement: model.storedBytesPerElement,
    });
    const loadAvg = os.loadavg()[0] as number;
    const t0 = performance.now();
    const cpuStart = process.cpuUsage();
    const analysis = await analyzeStreamed(model.reader, c, samples, { lens: "raw" });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpuStart);
    const result: StreamRunResult = {
      model: path.basename(o.dir),
      family: c.family,
      parameters: model.info.parameters,
      numLayers: c.numLayers,
      vocabSize: c.vocabSize,
      batch: o.batch,
      tokens: o.tokens,
      threads,
      sgemmPeakGflops: peak.peakGflops,
      flops,
      floorMs: flops / (peak.peakGflops * 1e6),
      ms,
      readWaitMs: analysis.stats.readWaitMs,
      bytesRead: analysis.stats.bytesRead,
      lensPasses: analysis.stats.lensPasses,
      estimatedPeakMiB: estimate.totalBytes / MiB,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      heapMiB: (wasmHeapBytes() ?? 0) / MiB,
      loadAvg,
      cpuMs: (cpu.user + cpu.system) / 1000,
      cpuPeakGflops,
    };
    if (o.decodeSteps > 0) {
      const prompts = Array.from({ length: o.decodeBatch }, () =>
        Array.from({ length: 16 }, () => Math.floor(rng() * c.vocabSize)),
      );
      const stepMs: number[] = [];
      await generateStreamed(model.reader, c, prompts, {
        maxNewTokens: o.decodeSteps + 1,
        temperature: 1,
        seed: 1,
        onStep: (step, msStep) => {
          if (step > 1) stepMs.push(msStep); // step 1 is the prefill
        },
      });
      const msPerStep = stepMs.reduce((a, b) => a + b, 0) / Math.max(1, stepMs.length);
      const weightBytes = model.reader
        .names()
        .filter(
          (n) =>
            n.startsWith("model.layers.") ||
            n === "lm_head.weight" ||
            (c.tieWordEmbeddings && n === "model.embed_tokens.weight"),
        )
        .reduce((sum, n) => sum + model.reader.get(n).byteLength, 0);
      result.peakRssMiB = process.resourceUsage().maxRSS / 1024; // before the bandwidth probe's buffers
      const bandwidthGBs = memoryBandwidthGBs();
      const S = 16 + o.decodeSteps / 2; // mean keys per step
      const flopsPerStep = c.numLayers * layerFlops(c, o.decodeBatch, 1, S) + unembedFlops(c, o.decodeBatch);
      result.decode = {
        batch: o.decodeBatch,
        steps: stepMs.length,
        msPerStep,
        tokensPerSecond: (o.decodeBatch * 1000) / msPerStep,
        weightBytes,
        bandwidthGBs,
        flopsPerStep,
        boundMs: (weightBytes / (bandwidthGBs * 1e9)) * 1000 + flopsPerStep / (peak.peakGflops * 1e6),
      };
    }
    return result;
  } finally {
    await model.reader.close();
  }
}
