/** The bench FLOP formula, by hand and against the matrix products the forward pass actually runs. */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { forward } from "../model/forward.ts";
import { initWeights } from "../model/init-weights.ts";
import { toyConfig, toyTokens } from "../model/test-utils/toy.ts";
import { disposeWeights } from "../model/weights.ts";
import { forwardFlops, matMulFlops, trainStepFlops } from "./bench-flops.ts";

describe("bench FLOPs", () => {
  beforeAll(async () => {
    await initBackend({ prefer: "cpu" });
  });

  it("matches a hand count", () => {
    // d 4, H 2, KV 1, hd 2, I 8, V 10, L 1; B 1, T 3 → N 3
    const c = toyConfig("llama", {
      hiddenSize: 4,
      numHeads: 2,
      numKvHeads: 1,
      headDim: 2,
      intermediateSize: 8,
      vocabSize: 10,
      numLayers: 1,
    });
    const projections = 4 * 3 * 4 * (2 + 1) * 2; // 288
    const attention = 4 * 1 * 2 * 3 * 3 * 2; // 144
    const mlp = 6 * 3 * 4 * 8; // 576
    const unembed = 2 * 3 * 4 * 10; // 240
    expect(forwardFlops(c, 1, 3)).toBe(projections + attention + mlp + unembed);
    expect(trainStepFlops(c, 1, 3)).toBe(3 * 1248);
    expect(matMulFlops(2, 3, 4)).toBe(48);
  });

  it("equals the sum over the BatchMatMul kernels of a real forward pass", async () => {
    const c = toyConfig("qwen3");
    const w = initWeights(c, 1);
    const [B, T] = [2, 5];
    const ids = toyTokens(B, T, c.vocabSize);
    const profile = await tf.profile(() => forward(w, c, ids).logits);
    (profile.result as tf.Tensor).dispose();
    disposeWeights(w);
    let counted = 0;
    for (const k of profile.kernels) {
      if (k.name !== "BatchMatMul") continue;
      const a = k.inputShapes[0] as number[];
      const out = k.outputShapes[0] as number[];
      // The forward never transposes the left operand, so K is a's last dimension.
      counted += 2 * out.reduce((p, d) => p * d, 1) * (a.at(-1) as number);
    }
    expect(counted).toBe(forwardFlops(c, B, T));
  });
});
