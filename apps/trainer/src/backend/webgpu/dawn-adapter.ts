/**
 * Dawn's Node bindings (npm `webgpu`) as `navigator.gpu`, and the adapter the trainer may use. A software adapter
 * (Mesa's lavapipe, SwiftShader) is refused unless explicitly allowed (tests, the GPU check's lavapipe dry run):
 * on `auto` the trainer would otherwise "use the GPU" at a hundredth of the wasm path's speed.
 */

/** What the capabilities call and the CLI report about the adapter. */
export interface GpuAdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for a CPU implementation (isFallbackAdapter, architecture "software", llvmpipe / SwiftShader). */
  software: boolean;
  /** The largest storage binding one kernel may use; bigger tensors are split (src/backend/webgpu/split). */
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxStorageBuffersPerShaderStage: number;
  /** WebGPU exposes no memory size; peak use is measured through tf.memory() instead. */
  memoryBytes?: number;
}

let gpu: GPU | undefined;

/**
 * Installs Dawn as `navigator.gpu` once (Node 20 has no navigator; Node ≥ 21 has one without `gpu`). Loaded on
 * first use: dawn.node needs libstdc++ ≥ GLIBCXX_3.4.30, and a machine without it must still run the wasm path.
 */
export async function dawnGpu(): Promise<GPU> {
  if (gpu !== undefined) return gpu;
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  gpu = create([]);
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav === undefined) {
    Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(nav, "gpu", { value: gpu, configurable: true, writable: true });
  }
  return gpu;
}

const SOFTWARE_NAMES = /llvmpipe|lavapipe|swiftshader|software|softpipe/i;

export function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  const info = adapter.info;
  const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return (
    fallback ||
    info.architecture === "software" ||
    SOFTWARE_NAMES.test(`${info.vendor} ${info.device} ${info.description}`)
  );
}

export function describeAdapter(adapter: GPUAdapter): GpuAdapterReport {
  const { info, limits } = adapter;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    software: isSoftwareAdapter(adapter),
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxBufferSize: limits.maxBufferSize,
    maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
  };
}

export type AdapterChoice =
  | { adapter: GPUAdapter; report: GpuAdapterReport }
  | { adapter: undefined; reason: string };

/** The high-performance adapter, or why there is none usable (no Vulkan driver, or only a software one). */
export async function chooseAdapter(allowSoftware: boolean): Promise<AdapterChoice> {
  let adapter: GPUAdapter | null;
  try {
    adapter = await (await dawnGpu()).requestAdapter({ powerPreference: "high-performance" });
  } catch (err) {
    return { adapter: undefined, reason: `Dawn could not start: ${(err as Error).message}` };
  }
  if (adapter === null) {
    return {
      adapter: undefined,
      reason:
        "no WebGPU adapter: no usable Vulkan driver (libvulkan.so.1 and an ICD such as NVIDIA's or Mesa ≥ 23 lavapipe)",
    };
  }
  const report = describeAdapter(adapter);
  if (report.software && !allowSoftware) {
    return {
      adapter: undefined,
      reason: `only a software adapter (${report.description || report.device}); allow it explicitly (BUPO_WEBGPU_ALLOW_SOFTWARE=1) to use it anyway`,
    };
  }
  return { adapter, report };
}
