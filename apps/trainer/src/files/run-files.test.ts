import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_FILE_ROOTS } from "./file-roots.ts";
import { resolveInside } from "./resolve-inside.ts";
import { FileAccessError, RunFiles } from "./run-files.ts";

let base: string;
let root: string;
let runsDir: string;
let secret: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "bupo-files-"));
  root = path.join(base, "datasets");
  runsDir = path.join(base, "runs");
  secret = path.join(base, "secret.jsonl");
  await mkdir(path.join(root, "math"), { recursive: true });
  await writeFile(path.join(root, "math", "train.jsonl"), '{"question":"1+1","answer":"2"}\n');
  await writeFile(secret, "root:x:0:0:root:/root:/bin/bash\n");
  await symlink(secret, path.join(root, "leak.jsonl"));
  await symlink(base, path.join(root, "up"));
  await symlink(path.join(root, "math", "train.jsonl"), path.join(root, "alias.jsonl"));
  await mkdir(path.join(runsDir, "runA", "checkpoints", "step-2"), { recursive: true });
  await mkdir(path.join(runsDir, "runA", "checkpoints", "step-6"), { recursive: true });
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe("resolveInside", () => {
  it("accepts a file inside the root (and a symlink that stays inside)", async () => {
    expect(await resolveInside(root, "math/train.jsonl")).toMatch(/math\/train\.jsonl$/);
    expect(await resolveInside(root, "alias.jsonl")).toBe(await resolveInside(root, "math/train.jsonl"));
  });

  it("refuses absolute paths, `..` segments and symlinks that leave the root", async () => {
    await expect(resolveInside(root, secret)).rejects.toThrow(/absolute/);
    await expect(resolveInside(root, "../secret.jsonl")).rejects.toThrow(/\.\./);
    await expect(resolveInside(root, "math/../../secret.jsonl")).rejects.toThrow(/\.\./);
    await expect(resolveInside(root, "leak.jsonl")).rejects.toThrow(/outside the root/);
    await expect(resolveInside(root, "up/secret.jsonl")).rejects.toThrow(/outside the root/);
    await expect(resolveInside(root, "missing.jsonl")).rejects.toThrow(/ENOENT/);
  });
});

describe("RunFiles", () => {
  const files = () =>
    new RunFiles(
      { dirs: { ...NO_FILE_ROOTS.dirs, datasets: [root] }, runsDir },
      { warn: (d) => logged.push(d) },
    );
  const logged: object[] = [];

  it("loads a file inside its root", async () => {
    const text = await files().load("dataset", { root: "datasets", path: "math/train.jsonl" }, (f) =>
      readFile(f, "utf8"),
    );
    expect(text).toContain("1+1");
  });

  it("missing, outside the root, unconfigured root and unreadable content all read the same", async () => {
    const messages: string[] = [];
    for (const ref of [
      { root: "datasets", path: "missing.jsonl" },
      { root: "datasets", path: "leak.jsonl" },
      { root: "datasets", path: "../secret.jsonl" },
      { root: "builtin", path: "math/train.jsonl" },
    ] as const) {
      const err = await files()
        .load("dataset", ref, (f) => readFile(f, "utf8"))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FileAccessError);
      messages.push((err as Error).message.replace(ref.path, "<path>").replace(ref.root, "<root>"));
    }
    const bad = await files()
      .load("dataset", { root: "datasets", path: "math/train.jsonl" }, async () => {
        throw new Error("Unexpected token 'r', \"root:x:0:0\"");
      })
      .catch((e: Error) => e.message);
    expect(bad).toBe("dataset not found or not accessible: datasets:math/train.jsonl");
    expect(new Set(messages)).toEqual(new Set(["dataset not found or not accessible: <root>:<path>"]));
    expect(JSON.stringify(logged)).toContain("outside the root"); // the detail goes to the log only
  });

  it("finds run checkpoints only as runsDir/<runId>/checkpoints/step-N", async () => {
    expect((await files().runCheckpoint("runA", 6)).dir).toMatch(/runA\/checkpoints\/step-6$/);
    expect((await files().runCheckpoint("runA", undefined)).step).toBe(6);
    expect((await files().runCheckpoint("runA", 5, "upTo")).step).toBe(2);
    for (const [runId, step] of [
      ["runA", 4],
      ["runB", 6],
      ["..", 6],
      ["runA/checkpoints", 6],
    ] as const) {
      await expect(files().runCheckpoint(runId, step)).rejects.toThrow(
        `checkpoint not found or not accessible: run ${runId} step ${step}`,
      );
    }
  });

  it("a resume folder must lie inside its own run's folder", async () => {
    const inside = path.join(runsDir, "runA", "checkpoints", "step-2");
    expect(await files().runFolderPath("runA", inside)).toMatch(/step-2$/);
    await expect(files().runFolderPath("runB", inside)).rejects.toBeInstanceOf(FileAccessError);
    await expect(files().runFolderPath("runA", base)).rejects.toBeInstanceOf(FileAccessError);
  });
});
