/**
 * The library of a real trainer service (HTTP + tRPC) pointed at a hub cache in the real layout
 * (`models--Org--Name/{blobs,refs/main,snapshots/<rev>/*}` with snapshot files symlinked into blobs) and a
 * models folder: facts from config.json and the safetensors headers, unsupported architectures with their
 * reason, the built-in datasets with previews, and previews refused outside the roots.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TrainerModel } from "@bupo/shared/model-library";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelConfigFromHf } from "../checkpoint/hf-config.ts";
import { customHubConfig, hubTokenizerDir } from "../checkpoint/hub-configs.ts";
import { encodeSafetensors } from "../checkpoint/safetensors.ts";
import { writeSyntheticCheckpoint } from "../checkpoint/synthetic-checkpoint.ts";
import { readTrainerEnv } from "../env.ts";
import { fileRootsFromEnv } from "../files/file-roots.ts";
import { RunFiles } from "../files/run-files.ts";
import { countParameters } from "../model/config.ts";
import type { TrainerRouter } from "../service/router.ts";
import { startTrainerService, type TrainerService } from "../service/trainer-service.ts";
import { moveIntoHubCache } from "./hub-cache-layout.ts";
import { ModelLibrary } from "./model-library.ts";

const TOKEN = "library-token-0123456789";
const REV_QWEN = "0123456789abcdef0123456789abcdef01234567";
const REV_LLAMA = "89abcdef0123456789abcdef0123456789abcdef";
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `bupo-${name}-`));
const hubCache = tmp("hub");
const modelsDir = tmp("models");
const outside = tmp("outside");

const qwenConfig = customHubConfig("Qwen3-0.6B", {
  hiddenSize: 64,
  numLayers: 3,
  numHeads: 4,
  numKvHeads: 2,
  intermediateSize: 96,
  vocabSize: 300,
});
const llamaConfig = customHubConfig("Llama-3.2-1B", {
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 4,
  numKvHeads: 1,
  intermediateSize: 64,
  vocabSize: 200,
  tieWordEmbeddings: false,
});

let service: TrainerService;
let api: ReturnType<typeof createTRPCClient<TrainerRouter>>;

beforeAll(async () => {
  const qwen = tmp("qwen");
  await writeSyntheticCheckpoint(qwen, qwenConfig, {
    tokenizerDir: hubTokenizerDir("Qwen3-0.6B") ?? undefined,
  });
  moveIntoHubCache(qwen, hubCache, "Qwen/Qwen3-0.6B", REV_QWEN);
  const llama = tmp("llama");
  await writeSyntheticCheckpoint(llama, llamaConfig, { dtype: "F32" });
  moveIntoHubCache(llama, hubCache, "meta-llama/Llama-3.2-1B", REV_LLAMA);
  // A mixture-of-experts model and a Mistral: listed, with the reason they cannot be loaded.
  const moe = path.join(hubCache, "models--Qwen--Qwen3-30B-A3B", "snapshots", "abc");
  fs.mkdirSync(moe, { recursive: true });
  fs.writeFileSync(
    path.join(moe, "config.json"),
    JSON.stringify({ ...qwenConfig, architectures: ["Qwen3MoeForCausalLM"], model_type: "qwen3_moe" }),
  );
  fs.writeFileSync(
    path.join(moe, "model.safetensors"),
    encodeSafetensors([{ name: "model.embed_tokens.weight", shape: [4, 2], data: new Float32Array(8) }]),
  );
  const mistral = path.join(modelsDir, "org", "mistral-tiny");
  fs.mkdirSync(mistral, { recursive: true });
  fs.writeFileSync(
    path.join(mistral, "config.json"),
    JSON.stringify({ architectures: ["MistralForCausalLM"], num_hidden_layers: 2, hidden_size: 8 }),
  );
  // A plain model folder in the models root, a model outside every root reached by a symlink (not listed), and
  // a dataset file outside every root reached by a symlink.
  await writeSyntheticCheckpoint(path.join(modelsDir, "my-qwen"), qwenConfig);
  await writeSyntheticCheckpoint(path.join(outside, "elsewhere"), qwenConfig);
  fs.symlinkSync(path.join(outside, "elsewhere"), path.join(modelsDir, "linked-out"));
  fs.writeFileSync(path.join(outside, "secret.jsonl"), '{"question":"SECRET","answer":"1"}\n');
  const datasetsDir = tmp("datasets");
  fs.symlinkSync(path.join(outside, "secret.jsonl"), path.join(datasetsDir, "leak.jsonl"));

  const env = readTrainerEnv({
    TRAINER_PORT: "0",
    LOG_LEVEL: "fatal",
    TRAINER_TOKEN: TOKEN,
    TRAINER_DATA_DIR: tmp("data"),
    HF_HUB_CACHE: hubCache,
    TRAINER_MODELS_DIRS: modelsDir,
    TRAINER_DATASETS_DIRS: datasetsDir,
  });
  const roots = fileRootsFromEnv(env);
  service = await startTrainerService(env, {
    runner: async () => "stopped",
    describeBackend: () => ({ backend: "wasm", threads: 1, nativeKernels: false }),
    modelPresets: ["tiny"],
    tasks: ["addition"],
    version: "test",
    logitLens: () => Promise.reject(new Error("unused")),
    library: new ModelLibrary(roots, new RunFiles(roots), () => ({
      allowance: { bytes: 8 * 2 ** 30, source: "test" },
      tensorMemoryBytes: 3.75 * 2 ** 30,
    })),
  });
  api = createTRPCClient<TrainerRouter>({
    links: [
      httpLink({
        url: `${service.url}/trpc`,
        transformer: superjson,
        headers: { authorization: `Bearer ${TOKEN}` },
      }),
    ],
  });
}, 60_000);

afterAll(async () => {
  await service?.shutdown("test end");
});

const byName = (models: TrainerModel[], name: string) => {
  const m = models.find((x) => x.name === name);
  if (!m) throw new Error(`${name} not listed: ${models.map((x) => x.name).join(", ")}`);
  return m;
};
const sizeOf = (dir: string) =>
  fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);

describe("model library (trainer)", () => {
  it("lists the hub cache's snapshots with facts from config.json and the safetensors headers", async () => {
    const { models } = await api.library.list.query();
    const qwen = byName(models, "Qwen/Qwen3-0.6B");
    const snapshot = path.join(hubCache, "models--Qwen--Qwen3-0.6B", "snapshots", REV_QWEN);
    expect(qwen).toMatchObject({
      revision: REV_QWEN,
      ref: { source: "checkpoint", root: "hf-cache", path: `models--Qwen--Qwen3-0.6B/snapshots/${REV_QWEN}` },
      facts: {
        architecture: "Qwen3ForCausalLM",
        family: "qwen3",
        layers: 3,
        hiddenSize: 64,
        heads: 4,
        kvHeads: 2,
        vocabSize: 300,
        parameters: countParameters(modelConfigFromHf(qwenConfig)),
        dtype: "BF16",
      },
      sizeBytes: sizeOf(snapshot),
      tokenizer: true,
      chatTemplate: true,
      fit: { analysis: true, training: true },
    });
    expect(qwen.unsupported).toBeUndefined();
    const llama = byName(models, "meta-llama/Llama-3.2-1B");
    expect(llama).toMatchObject({
      revision: REV_LLAMA,
      facts: {
        family: "llama",
        layers: 2,
        kvHeads: 1,
        parameters: countParameters(modelConfigFromHf(llamaConfig)),
        dtype: "F32",
      },
      tokenizer: false,
      chatTemplate: false,
    });
    expect(byName(models, "my-qwen")).toMatchObject({
      ref: { source: "checkpoint", root: "models", path: "my-qwen" },
      facts: { family: "qwen3", layers: 3 },
    });
  });

  it("lists unsupported architectures with the reason; nothing outside the roots; no absolute path", async () => {
    const { models } = await api.library.list.query();
    const moe = byName(models, "Qwen/Qwen3-30B-A3B");
    expect(moe.unsupported).toMatch(/^Qwen3MoeForCausalLM: mixture-of-experts/);
    expect(moe.facts).toMatchObject({ architecture: "Qwen3MoeForCausalLM", parameters: 8, layers: 3 });
    expect(moe.fit).toBeUndefined();
    const mistral = byName(models, "org/mistral-tiny");
    expect(mistral.unsupported).toMatch(/^MistralForCausalLM: Mistral uses sliding-window attention/);
    expect(models.map((m) => m.name)).not.toContain("linked-out");
    const text = JSON.stringify(models);
    for (const dir of [hubCache, modelsDir, os.tmpdir()]) expect(text).not.toContain(dir);
  });

  it("rescans on demand", async () => {
    const added = path.join(modelsDir, "later");
    await writeSyntheticCheckpoint(added, qwenConfig);
    expect((await api.library.list.query()).models.map((m) => m.name)).not.toContain("later");
    expect((await api.library.rescan.mutate()).models.map((m) => m.name)).toContain("later");
    expect((await api.library.list.query()).models.map((m) => m.name)).toContain("later");
  });

  it("lists the built-in datasets (the paper's data shipped in the repo) and previews their first rows", async () => {
    const { datasets } = await api.library.list.query();
    const builtin = datasets.filter((d) => d.builtin).map((d) => [d.name, d.rows, d.role]);
    expect(builtin).toEqual(
      expect.arrayContaining([
        ["MATH-500", 500, "evaluation"],
        ["AIME 2024", 30, "evaluation"],
        ["AIME 2025", 30, "evaluation"],
        ["AMC 2023", 40, "evaluation"],
        ["DeepMath-5k", 5000, "training"],
      ]),
    );
    const preview = await api.library.previewDataset.query({
      ref: { root: "builtin", path: "datasets/math500.parquet" },
    });
    expect(preview.total).toBe(500);
    expect(preview.rows).toHaveLength(5);
    expect(preview.rows[0]?.prompt).toContain("rectangular coordinates");
    expect(preview.rows[0]?.answer).toBe("\\left( 3, \\frac{\\pi}{2} \\right)");
  });

  it("refuses previews outside the roots: '..' at the schema, a symlink out of the root like a missing file", async () => {
    const code = async (ref: { root: "datasets" | "builtin"; path: string }) =>
      api.library.previewDataset.query({ ref }).then(
        () => "answered",
        (e: unknown) => {
          expect(e).toBeInstanceOf(TRPCClientError);
          expect((e as Error).message).not.toContain("SECRET");
          return `${(e as TRPCClientError<TrainerRouter>).data?.code}: ${(e as Error).message}`;
        },
      );
    expect(await code({ root: "builtin", path: "../builtin/datasets/math500.parquet" })).toMatch(
      /^BAD_REQUEST/,
    );
    expect(await code({ root: "datasets", path: "leak.jsonl" })).toBe(
      "NOT_FOUND: dataset not found or not accessible: datasets:leak.jsonl",
    );
    expect(await code({ root: "datasets", path: "missing.jsonl" })).toBe(
      "NOT_FOUND: dataset not found or not accessible: datasets:missing.jsonl",
    );
  });
});
