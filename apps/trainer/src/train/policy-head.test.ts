/** Spec §9 C9: step counter starts at 1; phase 1 iff step ≤ S; one head decision per step. */
import { describe, expect, it } from "vitest";
import { headForwardOptions, phaseOf, policyHeadForStep } from "./policy-head.ts";
import { toyRunConfig } from "./test-fixtures.ts";

describe("policyHeadForStep", () => {
  it("BuPO with S = 2: steps 1 and 2 use π_k, step 3 the final head", () => {
    const cfg = toyRunConfig({ rl: { iterativeSteps: 2, internalLayer: 1 } });
    expect(policyHeadForStep(cfg, 1)).toEqual({ kind: "internal", layer: 1 });
    expect(policyHeadForStep(cfg, 2)).toEqual({ kind: "internal", layer: 1 });
    expect(policyHeadForStep(cfg, 3)).toEqual({ kind: "final" });
    expect([1, 2, 3].map((s) => phaseOf(policyHeadForStep(cfg, s)))).toEqual([1, 1, 2]);
    expect(headForwardOptions(policyHeadForStep(cfg, 1))).toEqual({ internalLayer: 1 });
    expect(headForwardOptions(policyHeadForStep(cfg, 3))).toEqual({});
  });

  it("GRPO always uses the final head; S = 0 means no phase 1", () => {
    const grpo = toyRunConfig({ algorithm: "grpo", rl: { iterativeSteps: 2 } });
    expect(policyHeadForStep(grpo, 1)).toEqual({ kind: "final" });
    expect(policyHeadForStep(toyRunConfig({ rl: { iterativeSteps: 0 } }), 1)).toEqual({ kind: "final" });
  });

  it("rejects step 0 and non-integers (the counter starts at 1)", () => {
    const cfg = toyRunConfig();
    expect(() => policyHeadForStep(cfg, 0)).toThrow(/step must be/);
    expect(() => policyHeadForStep(cfg, 1.5)).toThrow(/step must be/);
  });
});
