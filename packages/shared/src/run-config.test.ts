import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatZodIssues } from "./errors.ts";
import { presetDims, presetLayerCount, resolveTieEmbeddings } from "./model-presets.ts";
import { defaultRunConfig, isInternalPhase, type RunConfigInput, RunConfigSchema } from "./run-config.ts";

interface JsonNode {
  description?: string;
  properties?: Record<string, JsonNode>;
  oneOf?: JsonNode[];
  anyOf?: JsonNode[];
}

function issuesOf(input: unknown) {
  const r = RunConfigSchema.safeParse(input);
  expect(r.success).toBe(false);
  return r.success ? [] : formatZodIssues(r.error);
}

describe("RunConfigSchema defaults", () => {
  it("parses {} into a complete BuPO run with paper defaults where they apply", () => {
    const cfg = defaultRunConfig();
    expect(cfg.kind).toBe("train");
    expect(cfg.algorithm).toBe("bupo");
    expect(cfg.model).toEqual({ source: "preset", family: "qwen3", preset: "tiny", tieEmbeddings: "auto" });
    expect(cfg.task).toEqual({ source: "builtin", name: "addition", difficulty: 2 });
    expect(cfg.rl).toMatchObject({
      internalLayer: 0,
      iterativeSteps: 20,
      totalSteps: 200,
      groupSize: 8,
      miniBatches: 4,
      clipLow: 0.2,
      clipHigh: 0.2,
      dualClip: 10,
      betas: [0.9, 0.999],
      weightDecay: 0.01,
      gradClip: 1,
      temperature: 1,
      topP: 1,
      lossAgg: "token-mean",
      advantage: "grpo",
      policyLoss: "vanilla",
      normAdvByStd: true,
    });
    expect(cfg.schedule.evalSamples).toBe(4);
    expect(cfg.analysis).toEqual({
      sampleSize: 10,
      lens: "raw",
      trueLastLayer: false,
      temperature: 1,
      maxResponseTokens: 32,
    });
    expect(cfg.tags).toEqual([]);
    expect(cfg.name).toBe("");
  });

  it("fills defaults inside partially given sections", () => {
    const cfg = RunConfigSchema.parse({ rl: { lr: 3e-4 }, task: { source: "builtin", name: "sorting" } });
    expect(cfg.rl.lr).toBe(3e-4);
    expect(cfg.rl.groupSize).toBe(8);
    expect(cfg.task).toMatchObject({ name: "sorting", difficulty: 2 });
  });

  it("round-trips through JSON (database Json column)", () => {
    const cfg = defaultRunConfig();
    expect(RunConfigSchema.parse(JSON.parse(JSON.stringify(cfg)))).toEqual(cfg);
  });

  it("accepts a dataset task and fills its defaults", () => {
    const input: RunConfigInput = {
      task: { source: "dataset", path: "deepmath-5k.parquet", tokenizer: { path: "qwen3" } },
    };
    const cfg = RunConfigSchema.parse(input);
    expect(cfg.task).toEqual({
      source: "dataset",
      root: "datasets",
      path: "deepmath-5k.parquet",
      format: "parquet",
      promptKey: "prompt",
      answerKey: "reward_model.ground_truth",
      evalPath: "",
      tokenizer: { root: "models", path: "qwen3" },
      enableThinking: false,
      maxRows: 0,
      heldOutFraction: 0.1,
    });
  });

  it("every field carries a description (JSON Schema for the form)", () => {
    const schema = z.toJSONSchema(RunConfigSchema, { io: "input" }) as JsonNode;
    const missing: string[] = [];
    const walk = (node: JsonNode, path: string) => {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!child.description) missing.push(`${path}${key}`);
        walk(child, `${path}${key}.`);
      }
      for (const option of node.oneOf ?? node.anyOf ?? []) walk(option, path);
    };
    walk(schema, "");
    expect(missing).toEqual([]);
    expect(JSON.stringify(schema)).toContain("paper layer = k+1");
  });
});

describe("RunConfigSchema field errors name the field and range", () => {
  it("lr out of range", () => {
    expect(issuesOf({ rl: { lr: -1 } })).toEqual([
      { field: "rl.lr", message: "lr must be between 0 (exclusive) and 1 (got -1)" },
    ]);
  });

  it("integer fields reject fractions and wrong types", () => {
    expect(issuesOf({ rl: { groupSize: 2.5 } })).toEqual([
      { field: "rl.groupSize", message: "groupSize must be an integer between 1 and 64 (got 2.5)" },
    ]);
    expect(issuesOf({ seed: "x" })).toEqual([
      { field: "seed", message: 'seed must be an integer between 0 and 2147483647 (got "x")' },
    ]);
  });

  it("enums list the valid values", () => {
    expect(issuesOf({ model: { source: "preset", family: "gpt" } })).toEqual([
      { field: "model.family", message: 'family must be one of qwen3, qwen2, llama (got "gpt")' },
    ]);
    expect(issuesOf({ rl: { lossAgg: "sum" } })[0]?.message).toBe(
      'lossAgg must be one of token-mean, seq-mean-token-sum, seq-mean-token-mean, seq-mean-token-sum-norm (got "sum")',
    );
  });

  it("discriminators name the options", () => {
    expect(issuesOf({ task: { source: "web" } })).toEqual([
      { field: "task.source", message: 'source must be one of builtin, dataset (got "web")' },
    ]);
  });

  it("file references are relative to a known root: absolute paths, `..` and unknown roots are field errors", () => {
    const dataset = (task: object) =>
      issuesOf({ task: { source: "dataset", tokenizer: { path: "t" }, ...task } });
    expect(dataset({ path: "/etc/passwd" })).toEqual([
      {
        field: "task.path",
        message: 'path must be relative to its root, not an absolute path (got "/etc/passwd")',
      },
    ]);
    expect(dataset({ path: "../../../../etc/passwd" })).toEqual([
      { field: "task.path", message: 'path must not contain ".." segments (got "../../../../etc/passwd")' },
    ]);
    expect(dataset({ path: "a.jsonl", evalPath: "x/../../b" })[0]?.field).toBe("task.evalPath");
    expect(dataset({ path: "a\u0000.jsonl" })[0]?.message).toContain("control characters");
    expect(dataset({ path: "a.jsonl", root: "etc" })).toEqual([
      { field: "task.root", message: 'root must be one of datasets, builtin (got "etc")' },
    ]);
    expect(dataset({ path: "a.jsonl", tokenizer: { root: "models", path: "/tok" } })[0]?.field).toBe(
      "task.tokenizer.path",
    );
    expect(
      issuesOf({ model: { source: "checkpoint", path: "/data/trainer/runs/x/checkpoints/step-6" } }),
    ).toEqual([
      {
        field: "model.path",
        message:
          'path must be relative to its root, not an absolute path (got "/data/trainer/runs/x/checkpoints/step-6")',
      },
    ]);
    expect(issuesOf({ model: { source: "run-checkpoint", runId: "../x" } })).toEqual([
      { field: "model.runId", message: 'runId must be a run id (got "../x")' },
    ]);
    expect(
      RunConfigSchema.safeParse({ model: { source: "run-checkpoint", runId: "cm0abc", step: 6 } }).success,
    ).toBe(true);
  });

  it("required dataset fields", () => {
    expect(issuesOf({ task: { source: "dataset", tokenizer: { path: "t" } } })).toEqual([
      { field: "task.path", message: "path is required (a path relative to its root)" },
    ]);
  });

  it("dual clip must exceed 1; betas per entry", () => {
    expect(issuesOf({ rl: { dualClip: 1 } })[0]?.message).toBe(
      "dualClip must be between 1 (exclusive) and 1000 (got 1)",
    );
    expect(issuesOf({ rl: { betas: [0.9, 1] } })).toEqual([
      { field: "rl.betas.1", message: "betas must be between 0 and 0.99999 (got 1)" },
    ]);
  });

  it("non-object sections", () => {
    expect(issuesOf({ schedule: 5 })).toEqual([
      { field: "schedule", message: "schedule must be an object (got 5)" },
    ]);
  });
});

describe("RunConfigSchema cross-field refinements", () => {
  it("iterativeSteps ≤ totalSteps", () => {
    expect(issuesOf({ rl: { iterativeSteps: 300, totalSteps: 200 } })).toEqual([
      {
        field: "rl.iterativeSteps",
        message: "iterativeSteps must be between 0 and totalSteps (200) (got 300)",
      },
    ]);
    expect(RunConfigSchema.safeParse({ rl: { iterativeSteps: 200, totalSteps: 200 } }).success).toBe(true);
  });

  it("internalLayer < preset layer count", () => {
    expect(issuesOf({ rl: { internalLayer: 4 } })).toEqual([
      {
        field: "rl.internalLayer",
        message: "internalLayer must be between 0 and 3 for qwen3/tiny (4 layers) (got 4)",
      },
    ]);
    expect(RunConfigSchema.safeParse({ rl: { internalLayer: 3 } }).success).toBe(true);
    const medium = { source: "preset", family: "llama", preset: "medium" } as const;
    expect(RunConfigSchema.safeParse({ model: medium, rl: { internalLayer: 5 } }).success).toBe(true);
    expect(issuesOf({ model: medium, rl: { internalLayer: 6 } })[0]?.message).toContain("between 0 and 5");
  });

  it("BuPO-only fields are ignored for GRPO and for analysis runs", () => {
    const rl = { internalLayer: 50, iterativeSteps: 999, totalSteps: 10 };
    expect(RunConfigSchema.safeParse({ algorithm: "grpo", rl }).success).toBe(true);
    expect(RunConfigSchema.safeParse({ kind: "analysis", rl }).success).toBe(true);
  });

  it("checkpoint models skip the preset layer check (the trainer checks k)", () => {
    const model = { source: "checkpoint", path: "qwen3-0.6b" };
    expect(RunConfigSchema.safeParse({ model, rl: { internalLayer: 20 } }).success).toBe(true);
  });

  it("miniBatches divides promptsPerStep", () => {
    expect(issuesOf({ rl: { promptsPerStep: 10, miniBatches: 4 } })).toEqual([
      { field: "rl.miniBatches", message: "miniBatches must divide promptsPerStep (10) (got 4)" },
    ]);
  });

  it("prompt + response fits the preset context", () => {
    const issues = issuesOf({ rl: { maxPromptTokens: 456, maxResponseTokens: 100 } });
    expect(issues).toEqual([
      {
        field: "rl.maxResponseTokens",
        message:
          "maxResponseTokens must be between 1 and 56 (maxPromptTokens + maxResponseTokens ≤ 512, the preset's maxPositionEmbeddings) (got 100)",
      },
    ]);
  });
});

describe("model presets and phases", () => {
  it("layer counts: tiny 4, small 4, medium 6 for every family", () => {
    for (const family of ["qwen3", "qwen2", "llama"] as const) {
      expect([
        presetLayerCount(family, "tiny"),
        presetLayerCount(family, "small"),
        presetLayerCount(family, "medium"),
      ]).toEqual([4, 4, 6]);
    }
  });

  it("family traits and head geometry are consistent", () => {
    expect(presetDims("qwen3", "tiny")).toMatchObject({
      qkNorm: true,
      attentionBias: false,
      tieWordEmbeddings: true,
    });
    expect(presetDims("qwen2", "tiny")).toMatchObject({
      qkNorm: false,
      attentionBias: true,
      tieWordEmbeddings: true,
    });
    expect(presetDims("llama", "tiny")).toMatchObject({
      qkNorm: false,
      attentionBias: false,
      rmsNormEps: 1e-5,
    });
    expect(presetDims("llama", "tiny").tieWordEmbeddings).toBe(false);
    expect(presetDims("qwen3", "tiny")).toMatchObject({
      hiddenSize: 128,
      intermediateSize: 512,
      headDim: 32,
    });
    expect(resolveTieEmbeddings("llama", "auto")).toBe(false);
    expect(resolveTieEmbeddings("llama", "tied")).toBe(true);
    expect(resolveTieEmbeddings("qwen3", "untied")).toBe(false);
    for (const p of ["tiny", "small", "medium"] as const) {
      const d = presetDims("qwen3", p);
      expect(d.numHeads * d.headDim).toBe(d.hiddenSize);
      expect(d.numHeads % d.numKvHeads).toBe(0);
    }
  });

  it("unknown presets throw listing the valid keys", () => {
    expect(() => presetDims("qwen3", "huge" as never)).toThrow(/valid presets: tiny, small, medium/);
  });

  it("phase 1 is steps 1..S for BuPO only", () => {
    const cfg = RunConfigSchema.parse({ rl: { iterativeSteps: 2 } });
    expect([1, 2, 3].map((s) => isInternalPhase(cfg, s))).toEqual([true, true, false]);
    expect(isInternalPhase({ ...cfg, algorithm: "grpo" }, 1)).toBe(false);
  });
});
