/**
 * Path confinement: a relative path joined to a root and resolved with `fs.realpath` must stay inside the
 * root's real path, so `..` segments, absolute paths and symlinks that leave the root are refused. The
 * errors carry the detail for the trainer's log only (see file-access-error.ts).
 */
import { realpath } from "node:fs/promises";
import path from "node:path";
import { relativePathProblem } from "@bupo/shared/file-ref";

/** True when `target` is `root` or below it (both real, absolute paths). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === "" || (rel.split(path.sep)[0] !== ".." && !path.isAbsolute(rel));
}

/** The real path of `relative` inside `rootDir`; throws when it is malformed, missing or leaves the root. */
export async function resolveInside(rootDir: string, relative: string): Promise<string> {
  const problem = relativePathProblem(relative);
  if (problem) throw new Error(`path ${JSON.stringify(relative)} ${problem}`);
  if (!rootDir) throw new Error("root not configured on this trainer");
  const root = await realpath(rootDir);
  const target = await realpath(path.join(root, relative));
  if (!isInside(root, target)) throw new Error(`${target} is outside the root ${root}`);
  return target;
}

/** The first folder of `rootDirs` that holds `relative` (see {@link resolveInside}). */
export async function resolveInAny(rootDirs: readonly string[], relative: string): Promise<string> {
  if (rootDirs.length === 0) throw new Error("root not configured on this trainer");
  const failures: string[] = [];
  for (const dir of rootDirs) {
    try {
      return await resolveInside(dir, relative);
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
    }
  }
  throw new Error(failures.join("; "));
}
