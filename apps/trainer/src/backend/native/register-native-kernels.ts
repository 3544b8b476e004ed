/**
 * Registers the native kernels on the `wasm` backend (one place; see shared/docs/native-kernels.md): BatchMatMul,
 * Exp / Tanh / Sigmoid and Sum override the wasm kernels (which stay as their fallbacks), and the fused kernels
 * of src/tensor/fused-ops.ts appear under their own names. `uninstallNativeKernels` restores the wasm kernels,
 * so one process can compare both paths. Call after `tf.setBackend("wasm")` and the wasm kernel fixes.
 */
import * as tf from "@tensorflow/tfjs";
import { nativeBatchMatMul } from "./kernels/batch-mat-mul.ts";
import { nativeFusedKernels } from "./kernels/fused.ts";
import { nativeSum } from "./kernels/sum.ts";
import type { NativeKernelContext } from "./kernels/types.ts";
import { nativeUnaryKernels } from "./kernels/unary.ts";
import { DEFAULT_ADDON_PATH, loadNativeAddon } from "./load-addon.ts";

export interface NativeKernelsOptions {
  /** false = keep the plain wasm kernels (default true). */
  enabled?: boolean;
  /** OpenBLAS threads (default 1: BLAS is a minority of a step and 2 threads spin a second core for no gain). */
  threads?: number;
  /** OPENBLAS_CORETYPE to force (default: chosen from the CPU's flags; read once, at the first load). */
  coreType?: string;
  /** Addon file (default: the one `npm ci` builds). Pointing elsewhere simulates a missing build. */
  addonPath?: string;
}

export interface NativeKernelsInfo {
  active: boolean;
  /** Why the native kernels are not active. */
  reason?: string;
  /** OpenBLAS core type in use and its thread count (when active). */
  coreType?: string;
  blasThreads?: number;
  /** Registered kernel names (when active). */
  kernels: string[];
}

/** Configs replaced by the native kernels, restored by uninstall. */
let replaced: tf.KernelConfig[] = [];
let installed: string[] = [];
let info: NativeKernelsInfo = { active: false, reason: "not installed", kernels: [] };

/** What is in effect now. */
export function nativeKernelsInfo(): NativeKernelsInfo {
  return info;
}

export function uninstallNativeKernels(): void {
  for (const name of installed) tf.unregisterKernel(name, "wasm");
  for (const config of replaced) tf.registerKernel(config);
  replaced = [];
  installed = [];
  info = { active: false, reason: "uninstalled", kernels: [] };
}

/** Loads the addon and registers every native kernel on `wasm`. Idempotent; never throws for a missing addon. */
export function installNativeKernels(opts: NativeKernelsOptions = {}): NativeKernelsInfo {
  uninstallNativeKernels();
  if (opts.enabled === false) {
    info = { active: false, reason: "disabled by configuration (BUPO_NATIVE_KERNELS=off)", kernels: [] };
    return info;
  }
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  const load = loadNativeAddon(opts.addonPath ?? DEFAULT_ADDON_PATH, threads, opts.coreType);
  if (!load.ok) {
    info = { active: false, reason: load.reason, kernels: [] };
    return info;
  }
  const ctx: NativeKernelContext = {
    addon: load.addon,
    original(name) {
      const config = tf.getKernel(name, "wasm");
      if (config === undefined) throw new Error(`wasm kernel ${name} is not registered`);
      return config.kernelFunc;
    },
  };
  const configs = [
    nativeBatchMatMul(ctx),
    ...nativeUnaryKernels(ctx),
    nativeSum(ctx),
    ...nativeFusedKernels(ctx),
  ];
  for (const config of configs) {
    const previous = tf.getKernel(config.kernelName, "wasm");
    if (previous !== undefined) {
      replaced.push(previous);
      tf.unregisterKernel(config.kernelName, "wasm");
    }
    // Keep the replaced kernel's setupFunc: the fallback wasm kernel binds its C function there.
    tf.registerKernel({ ...previous, ...config });
    installed.push(config.kernelName);
  }
  const blas = load.addon.blasInfo();
  info = { active: true, coreType: blas.coreName, blasThreads: blas.threads, kernels: [...installed] };
  return info;
}
