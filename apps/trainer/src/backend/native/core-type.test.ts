import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chooseOpenBlasCoreType, readCpuFlags } from "./core-type.ts";

describe("OpenBLAS core type from CPU flags", () => {
  it("picks SkylakeX for AVX-512, Haswell for AVX2 + FMA, Sandybridge for AVX, else leaves it to OpenBLAS", () => {
    const flags = (s: string) => new Set(s.split(" "));
    expect(chooseOpenBlasCoreType(flags("sse4_2 avx avx2 fma avx512f avx512bw avx512vl avx512dq"))).toBe(
      "SkylakeX",
    );
    expect(chooseOpenBlasCoreType(flags("sse4_2 avx avx2 fma avx512f"))).toBe("Haswell"); // partial AVX-512
    expect(chooseOpenBlasCoreType(flags("sse4_2 avx avx2"))).toBe("Sandybridge"); // AVX2 without FMA
    expect(chooseOpenBlasCoreType(flags("sse2 sse3"))).toBeUndefined();
    expect(chooseOpenBlasCoreType(new Set())).toBeUndefined();
  });

  it("reads the first flags line of a cpuinfo file, and an empty set when there is none", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cpuinfo-"));
    const file = path.join(dir, "cpuinfo");
    writeFileSync(file, "processor\t: 0\nflags\t\t: fpu avx2 fma\n\nprocessor\t: 1\nflags\t\t: fpu\n");
    expect([...readCpuFlags(file)]).toEqual(["fpu", "avx2", "fma"]);
    expect(readCpuFlags(path.join(dir, "missing")).size).toBe(0);
  });
});
