/** Backend selection: `initBackend()` once per process before building models. */
export {
  type BackendInfo,
  type BackendName,
  type BackendOptions,
  type BackendPreference,
  initBackend,
} from "./init-backend.ts";
export { registerWasmKernelFixes } from "./wasm-kernel-fixes.ts";
