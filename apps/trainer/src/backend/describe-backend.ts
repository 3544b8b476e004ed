/** One line saying which backend runs: native kernels on wasm, the adapter on webgpu (CLI output and logs). */
import type { BackendInfo } from "./init-backend.ts";

export function describeBackend(info: BackendInfo): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const base = `backend ${info.backend}${info.simd ? " (SIMD)" : ""}, ${plural(info.threads, "thread")}`;
  if (info.backend === "webgpu" && info.gpu !== undefined) {
    const g = info.gpu;
    const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
    return `backend webgpu · ${g.description || g.device} (${g.vendor}${g.software ? ", software" : ""}; binding limit ${mib(g.maxStorageBufferBindingSize)})`;
  }
  if (info.backend !== "wasm") return base;
  const n = info.native;
  return n.active
    ? `${base} · native kernels on (OpenBLAS ${n.coreType ?? "?"}, ${plural(n.blasThreads ?? 1, "BLAS thread")})`
    : `${base} · native kernels off: ${n.reason ?? "unknown"}`;
}
