import { describe, expect, it } from "vitest";
import { depthDefaults } from "./depth-defaults.ts";

describe("depthDefaults (bupo-spec §7)", () => {
  it("reproduces the paper's choices: Qwen3-4B k = 5 of 36, Llama (OctoThinker-3B, 28 layers) k = 26", () => {
    expect(depthDefaults("qwen3", 36)).toMatchObject({
      internalLayer: 5,
      iterativeSteps: 30,
      totalSteps: 300,
      maxPromptTokens: 1024,
      maxResponseTokens: 8192,
    });
    expect(depthDefaults("llama", 28)).toMatchObject({ internalLayer: 26, maxResponseTokens: 3072 });
  });

  it("keeps the position at other depths and stays inside the model", () => {
    expect(depthDefaults("qwen3", 28).internalLayer).toBe(4); // Qwen3-0.6B: lowest sixth
    expect(depthDefaults("qwen2", 12).internalLayer).toBe(1);
    expect(depthDefaults("llama", 32).internalLayer).toBe(30);
    for (const family of ["qwen3", "qwen2", "llama"] as const) {
      for (const layers of [1, 2, 3, 4, 100]) {
        const k = depthDefaults(family, layers).internalLayer;
        expect(k).toBeGreaterThanOrEqual(0);
        expect(k).toBeLessThan(layers);
      }
    }
    expect(depthDefaults("llama", 4).reason).toContain("k = L − 2 = 2 of 4 layers");
  });
});
