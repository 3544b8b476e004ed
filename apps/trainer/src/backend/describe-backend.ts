/** One line saying which backend runs and whether the native kernels are on (CLI output and logs). */
import type { BackendInfo } from "./init-backend.ts";

export function describeBackend(info: BackendInfo): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const base = `backend ${info.backend}${info.simd ? " (SIMD)" : ""}, ${plural(info.threads, "thread")}`;
  if (info.backend !== "wasm") return base;
  const n = info.native;
  return n.active
    ? `${base} · native kernels on (OpenBLAS ${n.coreType ?? "?"}, ${plural(n.blasThreads ?? 1, "BLAS thread")})`
    : `${base} · native kernels off: ${n.reason ?? "unknown"}`;
}
