/**
 * The machine's practical float32 peak for `bench`: OpenBLAS sgemm called through the addon directly (no tfjs),
 * square [n, n] × [n, n] products on a plain Uint8Array heap, with 1 BLAS thread. The peak is the best GFLOP/s
 * over the sizes; train-step and analysis rates are reported as a share of it.
 */
import type { NativeAddon } from "../backend/native/addon-types.ts";
import { DEFAULT_ADDON_PATH, loadNativeAddon } from "../backend/native/load-addon.ts";
import type { NativeKernelsOptions } from "../backend/native/register-native-kernels.ts";
import { matMulFlops } from "./bench-flops.ts";
import { type Repeats, timeMedian } from "./bench-measure.ts";

export interface SgemmResult {
  size: number;
  ms: number;
  gflops: number;
}

export interface SgemmPeak {
  /** BLAS threads during the measurement (1 unless asked: the peak the `bench` targets refer to). */
  threads: number;
  coreType: string;
  sizes: SgemmResult[];
  /** max GFLOP/s over `sizes`, and the size that reached it. */
  peakGflops: number;
  peakSize: number;
}

/** Small products run at least this many FLOPs per timing so their median is not timer noise. */
const MIN_FLOPS_PER_TIMING = 2e9;

/** The addon `initBackend` would load with these options, or why there is none. */
export function benchAddon(opts: NativeKernelsOptions): { addon: NativeAddon } | { reason: string } {
  const load = loadNativeAddon(opts.addonPath ?? DEFAULT_ADDON_PATH, opts.threads ?? 1, opts.coreType);
  return load.ok ? { addon: load.addon } : { reason: load.reason };
}

/**
 * C = A · B for each size (row-major, no transposes) with `threads` BLAS threads (default 1); the addon's thread
 * count is restored.
 */
export async function benchSgemm(
  addon: NativeAddon,
  sizes: readonly number[],
  r: Repeats,
  threads = 1,
): Promise<SgemmPeak> {
  const before = addon.blasInfo();
  const largest = Math.max(...sizes);
  const heap = new Uint8Array(3 * largest * largest * 4); // A, B, C of the largest size
  const floats = new Float32Array(heap.buffer);
  for (let i = 0; i < floats.length; i++) floats[i] = Math.random() * 2 - 1;
  addon.setThreads(threads);
  try {
    const results: SgemmResult[] = [];
    for (const n of sizes) {
      const bytes = n * n * 4;
      const [a, b, c] = [0, bytes, 2 * bytes].map((o) => Uint32Array.of(o)) as [
        Uint32Array,
        Uint32Array,
        Uint32Array,
      ];
      const flops = matMulFlops(n, n, n);
      const calls = Math.max(1, Math.ceil(MIN_FLOPS_PER_TIMING / flops));
      const ms =
        (await timeMedian(r, async () => {
          for (let i = 0; i < calls; i++) addon.sgemm(heap, false, false, n, n, n, a, b, c);
        })) / calls;
      results.push({ size: n, ms, gflops: flops / 1e6 / ms });
    }
    const best = results.reduce((p, q) => (q.gflops > p.gflops ? q : p));
    return {
      threads,
      coreType: before.coreName,
      sizes: results,
      peakGflops: best.gflops,
      peakSize: best.size,
    };
  } finally {
    addon.setThreads(before.threads);
  }
}
