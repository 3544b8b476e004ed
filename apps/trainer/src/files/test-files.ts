/** Tests: RunFiles over given folders (one per root; roots left out are not configured). */
import type { FileRootId } from "@bupo/shared/file-ref";
import { NO_FILE_ROOTS } from "./file-roots.ts";
import { RunFiles } from "./run-files.ts";

export function testFiles(dirs: Partial<Record<FileRootId, string>>, runsDir = ""): RunFiles {
  const listed = Object.fromEntries(Object.entries(dirs).map(([root, dir]) => [root, [dir]]));
  return new RunFiles({ dirs: { ...NO_FILE_ROOTS.dirs, ...listed }, runsDir });
}
