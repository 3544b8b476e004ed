/**
 * Loads the bupo_native addon once per process. OpenBLAS reads OPENBLAS_CORETYPE and OPENBLAS_NUM_THREADS when
 * the library loads, so they are set (unless the user already set them) before the first `require`.
 * A missing build, a missing libopenblas or a disabled configuration gives a reason instead of an addon.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { NativeAddon } from "./addon-types.ts";
import { chooseOpenBlasCoreType, readCpuFlags } from "./core-type.ts";

/** Where `npm ci` (native/build.cjs) puts the addon. */
export const DEFAULT_ADDON_PATH = fileURLToPath(
  new URL("../../../native/build/Release/bupo_native.node", import.meta.url),
);

export type AddonLoad = { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string };

const loaded = new Map<string, AddonLoad>();

/**
 * OPENBLAS_CORETYPE is chosen from the CPU's flags even when the environment already names one: an inherited
 * value can be slower (this environment ships Haswell on an AVX-512 CPU: 93 vs 165 GFLOP/s) or crash on a CPU
 * without that ISA. `coreType` (BUPO_BLAS_CORETYPE) forces a value.
 */
function setBlasEnvironment(threads: number, coreType: string | undefined): void {
  // biome-ignore lint/style/noProcessEnv: OpenBLAS reads these from the environment when it is loaded
  const env = process.env;
  const core = coreType ?? chooseOpenBlasCoreType(readCpuFlags());
  if (core !== undefined) env.OPENBLAS_CORETYPE = core;
  env.OPENBLAS_NUM_THREADS = String(threads);
  // Worker threads spin after each call for no gain at our sizes (native-kernels.md §4): let them sleep soon.
  env.OPENBLAS_THREAD_TIMEOUT ??= "4";
}

/** The addon at `path` (cached per path), with `threads` BLAS threads. */
export function loadNativeAddon(path: string, threads: number, coreType?: string): AddonLoad {
  let result = loaded.get(path);
  if (result === undefined) {
    setBlasEnvironment(threads, coreType);
    try {
      const addon = createRequire(import.meta.url)(path) as NativeAddon;
      result = { ok: true, addon, path };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why =
        e.code === "MODULE_NOT_FOUND" ? "the addon is not built" : (e.message.split("\n")[0] ?? e.code);
      result = { ok: false, reason: `${why} (${path})` };
    }
    loaded.set(path, result);
  }
  if (result.ok) result.addon.setThreads(threads);
  return result;
}
