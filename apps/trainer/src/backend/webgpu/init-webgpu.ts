/**
 * The `webgpu` backend: TF.js's WebGPU kernels (@tensorflow/tfjs-backend-webgpu) on Dawn's Node bindings, with
 * our own device (see shared/docs/gpu-webgpu.md): the adapter is checked (no software adapter unless allowed),
 * Dawn's validation errors are raised on the next read ({@link GpuErrorLog}), AddN is summed in groups, and
 * tensors above the binding limit are split (split-rows.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { chooseAdapter, type GpuAdapterReport } from "./dawn-adapter.ts";
import { GpuErrorLog, raiseErrorsOnRead } from "./gpu-errors.ts";
import { registerWebgpuKernelFixes } from "./webgpu-kernel-fixes.ts";

export interface WebgpuOptions {
  /** Accept a software adapter (lavapipe): tests and the GPU check's dry run only, never `auto`. */
  allowSoftware?: boolean;
}

interface WebgpuState {
  report: GpuAdapterReport;
  device: GPUDevice;
}

const OURS = "__bupoWebgpu";
let allowSoftware = false;
let lastFailure = "";
let state: WebgpuState | undefined;

async function createBackend(): Promise<tf.KernelBackend> {
  const choice = await chooseAdapter(allowSoftware);
  if (choice.adapter === undefined) {
    lastFailure = choice.reason;
    throw new Error(choice.reason);
  }
  const { adapter, report } = choice;
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: adapter.features.has("timestamp-query") ? ["timestamp-query"] : [],
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    },
  });
  const log = new GpuErrorLog(device);
  const { WebGPUBackend } = await import("@tensorflow/tfjs-backend-webgpu");
  const backend = new WebGPUBackend(device, adapter.info as never);
  raiseErrorsOnRead(backend as unknown as Parameters<typeof raiseErrorsOnRead>[0], log);
  state = { report, device };
  return backend;
}

/** Registers our factory as "webgpu" (replacing the package's own, which would pick any adapter). */
async function registerFactory(): Promise<void> {
  // Imported before navigator.gpu exists, the package registers its kernels but not its own factory.
  await import("@tensorflow/tfjs-backend-webgpu");
  const existing = tf.findBackendFactory("webgpu") as (typeof createBackend & { [OURS]?: true }) | null;
  if (existing?.[OURS]) return;
  if (existing !== null) tf.removeBackend("webgpu");
  const factory = Object.assign(() => createBackend(), { [OURS]: true as const });
  tf.registerBackend("webgpu", factory, 0);
}

export type WebgpuStart = { report: GpuAdapterReport } | { report: undefined; reason: string };

/** Makes `webgpu` the active backend, or says why it cannot be. */
export async function startWebgpu(opts: WebgpuOptions = {}): Promise<WebgpuStart> {
  const allow = opts.allowSoftware ?? false;
  if (state?.report.software && !allow) {
    return { report: undefined, reason: `only a software adapter (${state.report.description})` };
  }
  allowSoftware = allow;
  lastFailure = "";
  try {
    await registerFactory();
  } catch (err) {
    return { report: undefined, reason: `WebGPU unavailable: ${(err as Error).message}` };
  }
  const ok = await withoutWarnings(() => tf.setBackend("webgpu"));
  if (!ok || state === undefined) {
    return { report: undefined, reason: lastFailure || "the webgpu backend could not be initialised" };
  }
  await tf.ready();
  registerWebgpuKernelFixes();
  return { report: state.report };
}

/** tfjs logs a failed backend init with console.warn; the reason is returned to the caller instead. */
async function withoutWarnings<T>(fn: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

/** The adapter the active webgpu backend runs on (undefined before a successful start). */
export const webgpuAdapter = (): GpuAdapterReport | undefined => state?.report;
