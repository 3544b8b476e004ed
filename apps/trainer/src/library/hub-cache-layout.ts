/**
 * Writes a model into a Hugging Face hub cache in the layout huggingface_hub creates: files stored once under
 * `models--Org--Name/blobs/`, `snapshots/<revision>/<file>` symlinks to them, and `refs/main` naming the
 * revision. For tests and demos: the weights are synthetic (checkpoint/synthetic-checkpoint.ts).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { customHubConfig, HUB_CONFIGS, type HubModel, hubTokenizerDir } from "../checkpoint/hub-configs.ts";
import { writeSyntheticCheckpoint } from "../checkpoint/synthetic-checkpoint.ts";

/** The cache folder name of a repo id (`Org/Name` → `models--Org--Name`). */
export const hubCacheFolder = (repoId: string) => `models--${repoId.split("/").join("--")}`;

/** Moves the files of `written` into the repo's blobs and links them from snapshots/<revision>. */
export function moveIntoHubCache(
  written: string,
  cacheDir: string,
  repoId: string,
  revision: string,
): string {
  const repoDir = path.join(cacheDir, hubCacheFolder(repoId));
  const snapshot = path.join(repoDir, "snapshots", revision);
  for (const dir of ["blobs", "refs", path.join("snapshots", revision)])
    fs.mkdirSync(path.join(repoDir, dir), { recursive: true });
  fs.writeFileSync(path.join(repoDir, "refs", "main"), revision);
  for (const name of fs.readdirSync(written)) {
    const from = path.join(written, name);
    const blob = createHash("sha256").update(fs.readFileSync(from)).digest("hex");
    fs.renameSync(from, path.join(repoDir, "blobs", blob));
    fs.symlinkSync(path.join("..", "..", "blobs", blob), path.join(snapshot, name));
  }
  fs.rmSync(written, { recursive: true, force: true });
  return path.relative(cacheDir, snapshot).split(path.sep).join("/");
}

/**
 * A small model of a real Hub model's family, real vocabulary and tokenizer (d 64, `layers` layers, 4 heads,
 * 2 KV heads, FFN 128) in the hub cache. Returns its path relative to the cache (the library reference).
 */
export async function writeTinyHubModel(
  cacheDir: string,
  o: { repoId: string; revision: string; model: HubModel; layers?: number; seed?: number },
): Promise<string> {
  const config = customHubConfig(o.model, {
    hiddenSize: 64,
    numLayers: o.layers ?? 4,
    numHeads: 4,
    numKvHeads: 2,
    intermediateSize: 128,
    vocabSize: HUB_CONFIGS[o.model].vocab_size as number,
  });
  const written = fs.mkdtempSync(path.join(os.tmpdir(), "bupo-hub-write-"));
  await writeSyntheticCheckpoint(written, config, {
    seed: o.seed ?? 0,
    tokenizerDir: hubTokenizerDir(o.model) ?? undefined,
  });
  return moveIntoHubCache(written, cacheDir, o.repoId, o.revision);
}
