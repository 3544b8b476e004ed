/** Model sources: a preset is the model `train` starts from; checkpoint tokenizers; bad paths name the path. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { RunConfigSchema } from "@bupo/shared";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend/index.ts";
import { saveHfCheckpoint } from "../checkpoint/index.ts";
import { testFiles } from "../files/test-files.ts";
import { initWeights } from "../model/init-weights.ts";
import { toyConfig } from "../model/test-utils/toy.ts";
import { disposeWeights } from "../model/weights.ts";
import { defaultTokenizer, initialModel } from "../train/run-setup.ts";
import { ProbeInputError } from "./input-error.ts";
import { loadCheckpointModel, loadModelSource } from "./model-source.ts";

const tmp = mkdtempSync(path.join(tmpdir(), "bupo-probe-model-"));
beforeAll(() => initBackend({ prefer: "cpu" }));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("model sources", () => {
  it("a preset run config gives exactly the initial model of a train run with the same seed", async () => {
    const run = RunConfigSchema.parse({
      model: { source: "preset", preset: "tiny", family: "llama" },
      seed: 9,
    });
    const before = tf.memory().numTensors;
    const probe = await loadModelSource(run.model, run.seed, testFiles({}));
    const train = await initialModel(run, defaultTokenizer(), testFiles({}));
    expect(probe.config).toEqual(train.config);
    expect(probe.info).toMatchObject({ source: "preset", tokenizer: "char", tieWordEmbeddings: false });
    expect(await probe.weights.embedTokens.data()).toEqual(await train.weights.embedTokens.data());
    disposeWeights(probe.weights);
    disposeWeights(train.weights);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("a train checkpoint uses the char tokenizer recorded in trainer_state.json", async () => {
    const dir = path.join(tmp, "train-ckpt");
    const c = toyConfig("qwen3", { vocabSize: 20 });
    const w = initWeights(c, 1);
    await saveHfCheckpoint(dir, w, c);
    disposeWeights(w);
    writeFileSync(
      path.join(dir, "trainer_state.json"),
      JSON.stringify({ tokenizer: { type: "char", alphabet: "+0123456789=" } }),
    );
    const m = await loadCheckpointModel(dir);
    expect(m.tokenizer?.kind).toBe("char");
    expect(m.tokenizer?.vocabSize).toBe(15); // <pad> <bos> <eos> + 12 characters
    expect(m.info).toMatchObject({
      source: "checkpoint",
      path: dir,
      numLayers: c.numLayers,
      tokenizer: "char",
    });
    disposeWeights(m.weights);
  });

  it("a missing directory or config.json is bad input naming the path", async () => {
    const missing = path.join(tmp, "nope");
    await expect(loadCheckpointModel(missing)).rejects.toThrow(ProbeInputError);
    await expect(loadCheckpointModel(missing)).rejects.toThrow(`checkpoint directory not found: ${missing}`);
    const empty = path.join(tmp, "empty");
    mkdirSync(empty);
    await expect(loadCheckpointModel(empty)).rejects.toThrow(`checkpoint ${empty}: no config.json`);
  });
});
