/**
 * OPENBLAS_CORETYPE from the CPU's flags. OpenBLAS 0.3.21's own detection misreads newer CPUs (it picked
 * Prescott, SSE3 kernels, on an AVX-512 Xeon: 4.6× slower; see shared/docs/native-kernels.md §1).
 */
import fs from "node:fs";

/** The OpenBLAS core for a set of /proc/cpuinfo flags, or undefined to leave OpenBLAS's detection alone. */
export function chooseOpenBlasCoreType(flags: ReadonlySet<string>): string | undefined {
  if (["avx512f", "avx512bw", "avx512vl", "avx512dq"].every((f) => flags.has(f))) return "SkylakeX";
  if (flags.has("avx2") && flags.has("fma")) return "Haswell";
  if (flags.has("avx")) return "Sandybridge";
  return undefined;
}

/** Flags of the first CPU in /proc/cpuinfo (empty set where there is no such file). */
export function readCpuFlags(cpuinfoPath = "/proc/cpuinfo"): Set<string> {
  try {
    const text = fs.readFileSync(cpuinfoPath, "utf8");
    const line = text.split("\n").find((l) => /^(flags|Features)\s*:/.test(l));
    return new Set(line === undefined ? [] : (line.split(":")[1] ?? "").trim().split(/\s+/));
  } catch {
    return new Set();
  }
}
