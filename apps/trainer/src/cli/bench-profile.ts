/**
 * Where one step's time goes, per kernel, for `bench`: `tf.profile` around the step. On wasm (and the native
 * kernels, which run inside the wasm backend) every kernel is synchronous, so the backend's `time()` — wall time
 * around the kernel function — is the kernel's own time; the rest of the step is JS between kernels (tape,
 * tidy, gradient bookkeeping, host reads). Profiling adds per-kernel bookkeeping, so the profiled step is a bit
 * slower than the timed one; shares are of the profiled step's wall time.
 */
import * as tf from "@tensorflow/tfjs";

export interface KernelRow {
  name: string;
  calls: number;
  /** Summed kernel time (ms). */
  ms: number;
  /** ms / the profiled step's wall time. */
  share: number;
  /** Registered by the native addon (otherwise a stock kernel of the backend). */
  native: boolean;
}

export interface StepProfile {
  /** Wall time of the profiled step (ms). */
  wallMs: number;
  /** Sum over all kernels (ms); wallMs − kernelMs is spent outside kernels. */
  kernelMs: number;
  /** Peak bytes held by tensors during the step (weights and optimizer state included). */
  peakBytes: number;
  /** The kernels with the most time, most first. */
  top: KernelRow[];
  /** Everything below the top: distinct kernels, calls, ms. */
  rest: { kernels: number; calls: number; ms: number };
}

type KernelTime = Awaited<ReturnType<typeof tf.profile>>["kernels"][number]["kernelTimeMs"];

/** Kernel time (ms) as tf.profile leaves it: a number, or an error object where the backend cannot time. */
function kernelMs(t: KernelTime): number {
  if (typeof t !== "number") throw new Error(`bench: kernel time unavailable (${JSON.stringify(t)})`);
  return t;
}

/** Profiles one run of `step`; `nativeKernels` names the kernels the addon registered. */
export async function profileStep(
  step: () => Promise<void>,
  nativeKernels: readonly string[],
  top = 12,
): Promise<StepProfile> {
  let wallMs = 0;
  const info = await tf.profile(async () => {
    const t0 = performance.now();
    await step();
    wallMs = performance.now() - t0;
  });
  const byName = new Map<string, { calls: number; ms: number }>();
  for (const k of info.kernels) {
    const row = byName.get(k.name) ?? { calls: 0, ms: 0 };
    row.calls += 1;
    row.ms += kernelMs(k.kernelTimeMs);
    byName.set(k.name, row);
  }
  const native = new Set(nativeKernels);
  const rows = [...byName]
    .map(([name, r]) => ({ name, ...r, share: r.ms / wallMs, native: native.has(name) }))
    .sort((a, b) => b.ms - a.ms);
  const rest = rows.slice(top);
  return {
    wallMs,
    kernelMs: rows.reduce((s, r) => s + r.ms, 0),
    peakBytes: info.peakBytes,
    top: rows.slice(0, top),
    rest: {
      kernels: rest.length,
      calls: rest.reduce((s, r) => s + r.calls, 0),
      ms: rest.reduce((s, r) => s + r.ms, 0),
    },
  };
}
