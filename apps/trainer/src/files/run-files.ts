/**
 * Every file a job opens by a run config's reference goes through here: a `{ root, path }` reference resolves
 * inside the root's folders, a run checkpoint only as `runsDir/<runId>/checkpoints/step-<N>` (the web checked
 * that the run belongs to the launching team before it sent the job). Any failure — malformed, outside the
 * root, missing, unreadable, bad content — becomes one {@link FileAccessError} whose message names the
 * reference as given and nothing else; the detail goes to the trainer's log.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { type FileRef, fileRefText } from "@bupo/shared/file-ref";
import { type RunCheckpointModel, RunRefIdSchema } from "@bupo/shared/model-config";
import type { FileRoots } from "./file-roots.ts";
import { resolveInAny, resolveInside } from "./resolve-inside.ts";

/** A file a run names could not be used. The message never tells "missing" from "not allowed". */
export class FileAccessError extends Error {
  override name = "FileAccessError";
  constructor(what: string, ref: string) {
    super(`${what} not found or not accessible: ${ref}`);
  }
}

export interface FileAccessLogger {
  warn(obj: object, msg: string): void;
}

/** A run checkpoint found on disk. */
export interface RunCheckpoint {
  step: number;
  dir: string;
}

/** The newest `checkpoints/step-N` folder of a run folder with N ≤ `upTo`; null when there is none. */
export async function newestCheckpoint(
  runDir: string,
  upTo = Number.POSITIVE_INFINITY,
): Promise<number | null> {
  const names = await readdir(path.join(runDir, "checkpoints")).catch(() => [] as string[]);
  const steps = names
    .map((n) => /^step-(\d+)$/.exec(n)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .filter((s) => s <= upTo);
  return steps.length === 0 ? null : Math.max(...steps);
}

export class RunFiles {
  constructor(
    private readonly roots: FileRoots,
    private readonly logger?: FileAccessLogger,
  ) {}

  /** Runs `attempt`; any failure is logged with its detail and rethrown as the generic {@link FileAccessError}. */
  private async guarded<T>(what: string, ref: string, attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (e) {
      if (e instanceof FileAccessError) throw e;
      this.logger?.warn({ what, ref, detail: e instanceof Error ? e.message : String(e) }, "file refused");
      throw new FileAccessError(what, ref);
    }
  }

  /** The real path of `ref` inside its root. */
  resolve(what: string, ref: FileRef): Promise<string> {
    return this.guarded(what, fileRefText(ref), () => resolveInAny(this.roots.dirs[ref.root], ref.path));
  }

  /** Resolves `ref` and reads it with `read`; a failure of either is a {@link FileAccessError}. */
  load<T>(what: string, ref: FileRef, read: (file: string) => Promise<T>): Promise<T> {
    return this.guarded(what, fileRefText(ref), async () =>
      read(await resolveInAny(this.roots.dirs[ref.root], ref.path)),
    );
  }

  /** A checkpoint of run `runId`: step `step` exactly, or with "upTo" the newest step ≤ it (no step: the newest). */
  runCheckpoint(
    runId: string,
    step: number | undefined,
    match: "exact" | "upTo" = "exact",
  ): Promise<RunCheckpoint> {
    return this.guarded("checkpoint", runCheckpointText(runId, step), () =>
      this.findRunCheckpoint(runId, step, match),
    );
  }

  /** Loads a model folder: one under a model root, or a run checkpoint. */
  loadModel<T>(
    source: (FileRef & { source: "checkpoint" }) | RunCheckpointModel,
    read: (dir: string) => Promise<T>,
  ): Promise<T> {
    if (source.source === "checkpoint") return this.load("model", source, read);
    return this.guarded("model", runCheckpointText(source.runId, source.step), async () =>
      read((await this.findRunCheckpoint(source.runId, source.step, "exact")).dir),
    );
  }

  /** The folder of run `runId` (its metrics and checkpoints), created on demand by the job. */
  runOutDir(runId: string): string {
    if (!RunRefIdSchema.safeParse(runId).success) throw new Error("not a run id");
    return path.resolve(this.roots.runsDir, runId);
  }

  /** `dir` (a resume folder the web passed) when it is inside the folder of run `runId`. */
  runFolderPath(runId: string, dir: string): Promise<string> {
    return this.guarded("checkpoint", `run ${runId}`, async () => {
      const runDir = await this.runDir(runId);
      const relative = path.relative(path.resolve(this.roots.runsDir, runId), path.resolve(dir));
      return resolveInside(runDir, relative.split(path.sep).join("/"));
    });
  }

  private async runDir(runId: string): Promise<string> {
    if (!RunRefIdSchema.safeParse(runId).success) throw new Error("not a run id");
    return resolveInside(this.roots.runsDir, runId);
  }

  private async findRunCheckpoint(runId: string, step: number | undefined, match: "exact" | "upTo") {
    const runDir = await this.runDir(runId);
    const found = step !== undefined && match === "exact" ? step : await newestCheckpoint(runDir, step);
    if (found === null) throw new Error(`${runDir} has no checkpoint`);
    return { step: found, dir: await resolveInside(runDir, `checkpoints/step-${found}`) };
  }
}

function runCheckpointText(runId: string, step: number | undefined): string {
  return `run ${runId} ${step === undefined ? "latest checkpoint" : `step ${step}`}`;
}
