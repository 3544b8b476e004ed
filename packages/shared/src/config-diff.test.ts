import { describe, expect, it } from "vitest";
import { diffConfigs, flattenConfig } from "./config-diff.ts";
import { defaultRunConfig } from "./run-config.ts";
import { verlCommandLine } from "./verl-command.ts";

describe("config diff", () => {
  it("flattens nested objects to dotted paths, arrays as values", () => {
    expect(flattenConfig({ a: { b: 1, c: [1, 2] }, d: null })).toEqual({ "a.b": 1, "a.c": [1, 2], d: null });
  });

  it("keeps only the paths that differ, one value per config", () => {
    const bupo = defaultRunConfig();
    const grpo = { ...bupo, algorithm: "grpo", rl: { ...bupo.rl, lr: 2e-4 } };
    expect(diffConfigs([bupo, grpo])).toEqual([
      { path: "algorithm", values: ["bupo", "grpo"] },
      { path: "rl.lr", values: [bupo.rl.lr, 2e-4] },
    ]);
    expect(diffConfigs([bupo, structuredClone(bupo)])).toEqual([]);
  });
});

describe("verl command line", () => {
  it("carries the BuPO flags of bupo-spec §7 for a BuPO run and leaves them out for GRPO", () => {
    const cfg = defaultRunConfig();
    const cmd = verlCommandLine({ ...cfg, rl: { ...cfg.rl, internalLayer: 2, iterativeSteps: 30 } });
    expect(cmd).toMatch(/^python3 -m verl\.trainer\.main_ppo \\/);
    expect(cmd).toContain("actor_rollout_ref.actor.internal_policy_interative=true");
    expect(cmd).toContain("actor_rollout_ref.actor.internal_layer=2");
    expect(cmd).toContain("actor_rollout_ref.model.override_config.internal_layer=2");
    expect(cmd).toContain("actor_rollout_ref.actor.iterative_steps=30");
    expect(cmd).toContain(`actor_rollout_ref.rollout.n=${cfg.rl.groupSize}`);
    expect(cmd).toContain("actor_rollout_ref.actor.clip_ratio_c=10");
    const grpo = verlCommandLine({ ...cfg, algorithm: "grpo" });
    expect(grpo).not.toContain("internal_layer");
  });
});
