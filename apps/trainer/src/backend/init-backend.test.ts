import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend } from "./init-backend.ts";

describe("initBackend", () => {
  it("auto falls back to wasm when no native TensorFlow package is installed", async () => {
    const info = await initBackend();
    expect(["tensorflow", "wasm"]).toContain(info.backend);
    expect(tf.getBackend()).toBe(info.backend);
    if (info.backend === "wasm") {
      expect(info).toMatchObject({ nativeKernels: info.native.active, simd: true, threads: 1 });
    }
  });

  it("an explicit tensorflow preference fails clearly when the native package is absent", async () => {
    const auto = await initBackend();
    if (auto.backend === "tensorflow") return; // a CUDA/native host: nothing to check
    await expect(initBackend({ prefer: "tensorflow" })).rejects.toThrow(
      /tfjs-node-gpu or @tensorflow\/tfjs-node/,
    );
  });

  it("switches between cpu and wasm and is idempotent per preference", async () => {
    const cpu = await initBackend({ prefer: "cpu" });
    expect(cpu).toEqual({
      backend: "cpu",
      threads: 1,
      simd: false,
      nativeKernels: false,
      native: { active: false, reason: "the cpu backend does not use them", kernels: [] },
      package: "@tensorflow/tfjs",
    });
    expect(await initBackend({ prefer: "cpu" })).toBe(cpu);
    const wasm = await initBackend({ prefer: "wasm" });
    expect(tf.getBackend()).toBe("wasm");
    expect(await initBackend({ prefer: "wasm" })).toBe(wasm);
  });
});
