import { describe, expect, it } from "vitest";
import { configUsedBy } from "./config-used.ts";
import { RunConfigSchema } from "./run-config.ts";

describe("configUsedBy", () => {
  it("shows an analysis run's model, task, seed and analysis options, no RL settings", () => {
    const shown = configUsedBy(RunConfigSchema.parse({ kind: "analysis" }));
    expect(Object.keys(shown).sort()).toEqual(["analysis", "kind", "model", "name", "seed", "tags", "task"]);
  });

  it("shows a training run whole", () => {
    const cfg = RunConfigSchema.parse({ kind: "train" });
    expect(configUsedBy(cfg)).toBe(cfg);
  });
});
