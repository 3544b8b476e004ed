/** What a native kernel module receives: the addon and the kernels it replaces (its fallbacks). */
import type * as tf from "@tensorflow/tfjs";
import type { NativeAddon } from "../addon-types.ts";

export type KernelFunc = tf.KernelConfig["kernelFunc"];
export type KernelParams = Parameters<KernelFunc>[0];

export interface NativeKernelContext {
  addon: NativeAddon;
  /** The wasm kernel registered under `name` before the native ones (used for dtypes/cases they don't cover). */
  original(name: string): KernelFunc;
}
