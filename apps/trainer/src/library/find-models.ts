/**
 * Model folders under the trainer's model roots: any folder holding a config.json in a models folder (up to
 * three levels deep; a model folder is not searched further), and in the Hugging Face hub cache each
 * `models--Org--Name` repository's snapshot that `refs/main` points to (every snapshot when there is no
 * refs/main). References are relative to their root, so a run names them without any absolute path.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface FoundModel {
  root: "models" | "hf-cache";
  /** The folder relative to its root ("/" separators). */
  relative: string;
  /** The root folder it was found in, and the folder on disk. */
  rootDir: string;
  dir: string;
  name: string;
  revision?: string;
}

const MAX_DEPTH = 3;
const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}

/** Folders with a config.json below `rootDir` (relative paths). */
async function walkModelsFolder(
  rootDir: string,
  relative: string,
  depth: number,
  out: string[],
  limit: number,
) {
  if (out.length >= limit) return;
  const dir = path.join(rootDir, relative);
  if (relative !== "" && existsSync(path.join(dir, "config.json"))) {
    out.push(relative);
    return;
  }
  if (depth >= MAX_DEPTH) return;
  for (const name of await subfolders(dir)) {
    await walkModelsFolder(rootDir, relative === "" ? name : `${relative}/${name}`, depth + 1, out, limit);
  }
}

/** Model folders of the models root's folders (the first folder wins for a path found in several). */
export async function findInModelsFolders(dirs: readonly string[], limit: number): Promise<FoundModel[]> {
  const found = new Map<string, FoundModel>();
  for (const rootDir of dirs) {
    const relatives: string[] = [];
    await walkModelsFolder(rootDir, "", 0, relatives, limit);
    for (const relative of relatives) {
      if (!found.has(relative) && found.size < limit)
        found.set(relative, {
          root: "models",
          relative,
          rootDir,
          dir: path.join(rootDir, relative),
          name: relative,
        });
    }
  }
  return [...found.values()];
}

/** `models--Org--Name` → `Org/Name` (huggingface_hub joins the repo id's parts with "--"). */
export function repoIdOfCacheFolder(folder: string): string | undefined {
  const parts = folder.split("--");
  if (parts[0] !== "models" || parts.length < 2) return undefined;
  return parts.slice(1).join("/");
}

/** Snapshots of the hub cache's model repositories (refs/main's revision, else every snapshot). */
export async function findInHubCache(cacheDir: string, limit: number): Promise<FoundModel[]> {
  const out: FoundModel[] = [];
  for (const repo of await subfolders(cacheDir)) {
    const repoId = repoIdOfCacheFolder(repo);
    if (repoId === undefined) continue;
    const main = (await readFile(path.join(cacheDir, repo, "refs", "main"), "utf8").catch(() => "")).trim();
    const snapshots = await subfolders(path.join(cacheDir, repo, "snapshots"));
    const revisions = SAFE_NAME.test(main) && snapshots.includes(main) ? [main] : snapshots;
    for (const revision of revisions.filter((r) => SAFE_NAME.test(r))) {
      if (out.length >= limit) return out;
      const relative = `${repo}/snapshots/${revision}`;
      out.push({
        root: "hf-cache",
        relative,
        rootDir: cacheDir,
        dir: path.join(cacheDir, relative),
        name: repoId,
        revision,
      });
    }
  }
  return out;
}
