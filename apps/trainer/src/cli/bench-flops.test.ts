/** The bench FLOP formulas, by hand and against the matrix products real forward / rollout / analysis runs. */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeInternalPolicies } from "../analysis/internal-policy.ts";
import { initBackend } from "../backend/index.ts";
import { forward } from "../model/forward.ts";
import { generate } from "../model/generate.ts";
import { initWeights } from "../model/init-weights.ts";
import { toyConfig, toyTokens } from "../model/test-utils/toy.ts";
import { disposeWeights, type ModelWeights } from "../model/weights.ts";
import {
  analysisFlops,
  forwardFlops,
  matMulFlops,
  rolloutFlops,
  trainStepFlops,
  unembeddedStates,
} from "./bench-flops.ts";

/** FLOPs of every BatchMatMul kernel `fn` runs. None of the counted paths transposes the left operand, so K is
 *  its last dimension. */
async function countedMatMulFlops(
  fn: () => tf.TensorContainer | Promise<tf.TensorContainer>,
): Promise<number> {
  const profile = await tf.profile(fn);
  tf.dispose(profile.result as tf.TensorContainer);
  let counted = 0;
  for (const k of profile.kernels) {
    if (k.name !== "BatchMatMul") continue;
    const a = k.inputShapes[0] as number[];
    const out = k.outputShapes[0] as number[];
    counted += 2 * out.reduce((p, d) => p * d, 1) * (a.at(-1) as number);
  }
  return counted;
}

describe("bench FLOPs", () => {
  const c = toyConfig("qwen3");
  let w: ModelWeights;
  beforeAll(async () => {
    await initBackend({ prefer: "cpu" });
    w = initWeights(c, 1);
  });
  afterAll(() => disposeWeights(w));

  it("matches a hand count", () => {
    // d 4, H 2, KV 1, hd 2, I 8, V 10, L 1; B 1, T 3 → N 3
    const h = toyConfig("llama", {
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
    expect(forwardFlops(h, 1, 3)).toBe(projections + attention + mlp + unembed);
    expect(trainStepFlops(h, 1, 3)).toBe(3 * 1248);
    // analysis: decoder + (5·1 + 2) unembedded states of 3 positions
    expect(unembeddedStates(1)).toBe(7);
    expect(unembeddedStates(1, { reuseLast: true })).toBe(6);
    expect(analysisFlops(h, 1, 3)).toBe(projections + attention + mlp + 7 * unembed);
    // rollout P 2, R 2: prefill (T = S = 2, one position unembedded) + one step (T 1, S 3)
    const prefill = 4 * 2 * 4 * 3 * 2 + 4 * 2 * 2 * 2 * 2 + 6 * 2 * 4 * 8 + 2 * 4 * 10; // 192 + 64 + 384 + 80
    const step = 4 * 1 * 4 * 3 * 2 + 4 * 2 * 1 * 3 * 2 + 6 * 1 * 4 * 8 + 2 * 4 * 10; // 96 + 48 + 192 + 80
    expect(rolloutFlops(h, 1, 2, 2)).toBe(prefill + step);
    expect(matMulFlops(2, 3, 4)).toBe(48);
  });

  it("equals the sum over the BatchMatMul kernels of a real forward pass", async () => {
    const [B, T] = [2, 5];
    const ids = toyTokens(B, T, c.vocabSize);
    expect(await countedMatMulFlops(() => forward(w, c, ids).logits)).toBe(forwardFlops(c, B, T));
  });

  it("equals the BatchMatMul kernels of a KV-cache rollout and of the all-layer analysis", async () => {
    const [B, P, R] = [2, 4, 3];
    const prompts = toyTokens(B, P, c.vocabSize);
    const rollout = async () => {
      await generate(w, c, prompts, { maxNewTokens: R, seed: 1, eosId: null });
    };
    expect(await countedMatMulFlops(rollout)).toBe(rolloutFlops(c, B, P, R));
    // Small chunks: the analysis unembeds each state in several blocks of rows; the sum is unchanged.
    const analysis = async () => {
      await analyzeInternalPolicies(w, c, prompts, { maxChunkElements: 3 * c.vocabSize });
    };
    expect(await countedMatMulFlops(analysis)).toBe(analysisFlops(c, B, P));
  });
});
