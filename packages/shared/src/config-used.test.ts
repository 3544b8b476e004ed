import { RunConfigSchema } from "@bupo/shared/run-config";
import { describe, expect, it } from "vitest";
import { configShownFor } from "./config-panel.tsx";

describe("configShownFor", () => {
  it("shows an analysis run's model, task, seed and analysis options, no RL settings", () => {
    const shown = configShownFor(RunConfigSchema.parse({ kind: "analysis" }));
    expect(Object.keys(shown).sort()).toEqual(["analysis", "kind", "model", "name", "seed", "tags", "task"]);
  });

  it("shows a training run whole", () => {
    const cfg = RunConfigSchema.parse({ kind: "train" });
    expect(configShownFor(cfg)).toBe(cfg);
  });
});
