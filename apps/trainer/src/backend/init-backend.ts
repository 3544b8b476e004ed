/**
 * Backend selection for TensorFlow.js (see shared/docs/compute-notes.md §6).
 *
 * Order for `prefer: "auto"`: `tensorflow` via @tensorflow/tfjs-node-gpu → `tensorflow` via @tensorflow/tfjs-node →
 * `webgpu` on a hardware adapter (webgpu/init-webgpu.ts; a software one is never chosen here) → `wasm`
 * (+ {@link registerWasmKernelFixes}) → `cpu`. The native packages are optional dependencies that cannot be
 * installed on the dev box; they are only imported when `require.resolve` finds them, and never both in one process.
 * An explicit preference ("tensorflow" | "webgpu" | "wasm" | "cpu") is strict: it throws if that backend cannot
 * start, with the reason.
 */
import { createRequire } from "node:module";
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import {
  installNativeKernels,
  type NativeKernelsInfo,
  type NativeKernelsOptions,
} from "./native/register-native-kernels.ts";
import { registerWasmKernelFixes } from "./wasm-kernel-fixes.ts";
import type { GpuAdapterReport } from "./webgpu/dawn-adapter.ts";
import { startWebgpu, type WebgpuOptions } from "./webgpu/init-webgpu.ts";

export type BackendPreference = "auto" | "tensorflow" | "webgpu" | "wasm" | "cpu";
export type BackendName = "tensorflow" | "webgpu" | "wasm" | "cpu";

export interface BackendOptions {
  /** Which backend to use; "auto" walks the fallback chain (default "auto"). */
  prefer?: BackendPreference;
  /** Requested wasm threads (default 1). tfjs disables wasm threads in Node, so `BackendInfo.threads` reports
   *  what is actually in effect. */
  threads?: number;
  /** OpenBLAS kernels for the wasm backend (apps/trainer/native); on by default when the addon is built. */
  native?: NativeKernelsOptions;
  /** WebGPU options (an explicit `webgpu` preference only: `auto` never accepts a software adapter). */
  webgpu?: WebgpuOptions;
}

export interface BackendInfo {
  backend: BackendName;
  /** Threads in effect: wasm `getThreadsCount()`, 1 for cpu, os core count for native TensorFlow. */
  threads: number;
  /** True when the wasm SIMD build is in use. */
  simd: boolean;
  /** True for the native libtensorflow backend, or wasm with the OpenBLAS addon's kernels. */
  nativeKernels: boolean;
  /** The OpenBLAS addon's state (wasm only; otherwise inactive with the reason). */
  native: NativeKernelsInfo;
  /** The npm package that provided the backend. */
  package: string;
  /** The GPU adapter (webgpu only). */
  gpu?: GpuAdapterReport;
}

const NATIVE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

/** Result of the last successful init, reused while tf's active backend is unchanged (idempotence). */
let lastInit: { key: string; info: BackendInfo } | undefined;

function isResolvable(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

async function tryNative(): Promise<BackendInfo | undefined> {
  // If a native backend is already registered (package loaded earlier), reuse it rather than loading a second one.
  const alreadyLoaded = tf.engine().registryFactory.tensorflow !== undefined;
  for (const pkg of NATIVE_PACKAGES) {
    if (!alreadyLoaded) {
      if (!isResolvable(pkg)) continue;
      try {
        const name: string = pkg; // non-literal specifier: the package is optional and has no types here
        await import(/* @vite-ignore */ name);
      } catch {
        continue;
      }
    }
    if (await tf.setBackend("tensorflow")) {
      await tf.ready();
      return {
        backend: "tensorflow",
        threads: os.cpus().length,
        simd: false,
        nativeKernels: true,
        native: notWasm("tensorflow"),
        package: pkg,
      };
    }
    if (alreadyLoaded) break;
  }
  return undefined;
}

const notWasm = (backend: BackendName): NativeKernelsInfo => ({
  active: false,
  reason: `the ${backend} backend does not use them`,
  kernels: [],
});

async function tryWasm(threads: number, native: NativeKernelsOptions): Promise<BackendInfo | undefined> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  if (threads > 1) wasm.setThreadsCount(threads); // no effect in Node unless multithreading was enabled
  if (!(await tf.setBackend("wasm"))) return undefined;
  await tf.ready();
  registerWasmKernelFixes();
  const nativeInfo = installNativeKernels(native);
  const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
  return {
    backend: "wasm",
    threads: wasm.getThreadsCount(),
    simd,
    nativeKernels: nativeInfo.active,
    native: nativeInfo,
    package: "@tensorflow/tfjs-backend-wasm",
  };
}

/** WebGPU on Dawn; `strict` (an explicit preference) throws the reason instead of falling through. */
async function tryWebgpu(opts: WebgpuOptions, strict: boolean): Promise<BackendInfo | undefined> {
  const start = await startWebgpu(opts);
  if (start.report === undefined) {
    if (strict) throw new Error(`TF.js backend "webgpu" could not be initialised: ${start.reason}`);
    return undefined;
  }
  return {
    backend: "webgpu",
    threads: 1,
    simd: false,
    nativeKernels: false,
    native: notWasm("webgpu"),
    package: "@tensorflow/tfjs-backend-webgpu",
    gpu: start.report,
  };
}

async function tryCpu(): Promise<BackendInfo | undefined> {
  if (!(await tf.setBackend("cpu"))) return undefined;
  await tf.ready();
  return {
    backend: "cpu",
    threads: 1,
    simd: false,
    nativeKernels: false,
    native: notWasm("cpu"),
    package: "@tensorflow/tfjs",
  };
}

/**
 * Selects and initialises the TF.js backend. Idempotent: a repeated call with the same options returns the same
 * info without re-initialising, as long as the active backend was not changed in between.
 */
export async function initBackend(opts: BackendOptions = {}): Promise<BackendInfo> {
  const prefer = opts.prefer ?? "auto";
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  const native = opts.native ?? {};
  const key = JSON.stringify([
    prefer,
    threads,
    native.enabled,
    native.threads,
    native.coreType,
    native.addonPath,
    opts.webgpu?.allowSoftware,
  ]);
  if (lastInit !== undefined && lastInit.key === key && tf.getBackend() === lastInit.info.backend) {
    return lastInit.info;
  }
  const attempts: Record<BackendPreference, Array<() => Promise<BackendInfo | undefined>>> = {
    auto: [tryNative, () => tryWebgpu({}, false), () => tryWasm(threads, native), tryCpu],
    tensorflow: [tryNative],
    webgpu: [() => tryWebgpu(opts.webgpu ?? {}, true)],
    wasm: [() => tryWasm(threads, native)],
    cpu: [tryCpu],
  };
  for (const attempt of attempts[prefer]) {
    const info = await attempt();
    if (info !== undefined) {
      lastInit = { key, info };
      return info;
    }
  }
  throw new Error(
    prefer === "tensorflow"
      ? `No native TensorFlow backend: install ${NATIVE_PACKAGES.join(" or ")} (needs libtensorflow download)`
      : `TF.js backend "${prefer}" could not be initialised`,
  );
}
