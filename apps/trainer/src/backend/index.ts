/** Backend selection: `initBackend()` once per process before building models. */

export { describeBackend } from "./describe-backend.ts";
export {
  type BackendInfo,
  type BackendName,
  type BackendOptions,
  type BackendPreference,
  initBackend,
} from "./init-backend.ts";
export {
  installNativeKernels,
  type NativeKernelsInfo,
  type NativeKernelsOptions,
  nativeKernelsInfo,
  uninstallNativeKernels,
} from "./native/register-native-kernels.ts";
export { registerWasmKernelFixes } from "./wasm-kernel-fixes.ts";
export type { GpuAdapterReport } from "./webgpu/dawn-adapter.ts";
export { GpuValidationError } from "./webgpu/gpu-errors.ts";
export type { WebgpuOptions } from "./webgpu/init-webgpu.ts";
