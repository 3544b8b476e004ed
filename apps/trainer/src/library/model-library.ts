/**
 * A trainer's library: the models and datasets under its file roots, scanned at start and again on demand
 * (`library.rescan`), served from the last scan (`library.list`). Concurrent rescans share one scan. Each model
 * carries its facts and whether analysis and training fit this trainer (fit-estimate.ts).
 */
import { existsSync } from "node:fs";
import type { FileRootId } from "@bupo/shared/file-ref";
import {
  type DatasetPreview,
  type DatasetRef,
  MAX_LIBRARY_DATASETS,
  MAX_LIBRARY_MODELS,
  type TrainerLibrary,
  type TrainerModel,
} from "@bupo/shared/model-library";
import type { FileRoots } from "../files/file-roots.ts";
import { resolveInside } from "../files/resolve-inside.ts";
import type { RunFiles } from "../files/run-files.ts";
import { previewDataset } from "./dataset-preview.ts";
import { findDatasets } from "./find-datasets.ts";
import { type FoundModel, findInHubCache, findInModelsFolders } from "./find-models.ts";
import { estimateFit, type FitLimits } from "./fit-estimate.ts";
import { describeModelFolder } from "./model-folder.ts";

export interface LibraryLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

async function describe(found: FoundModel, limits: () => FitLimits): Promise<TrainerModel> {
  const d = await describeModelFolder(found.dir);
  return {
    name: found.name.slice(0, 300),
    ...(found.revision === undefined ? {} : { revision: found.revision.slice(0, 80) }),
    ref: { source: "checkpoint", root: found.root, path: found.relative },
    facts: d.facts,
    ...(d.unsupported === undefined ? {} : { unsupported: d.unsupported }),
    sizeBytes: d.sizeBytes,
    tokenizer: d.tokenizer,
    chatTemplate: d.chatTemplate,
    ...(d.config === undefined ? {} : { fit: estimateFit(d.config, d.storedBytesPerElement, limits()) }),
  };
}

/** Scans the roots once (never throws: an unreadable root is reported by id). */
export async function scanLibrary(roots: FileRoots, limits: () => FitLimits): Promise<TrainerLibrary> {
  const unreadable = new Set<FileRootId>();
  const existing = (root: FileRootId) => {
    const dirs = roots.dirs[root].filter((dir) => existsSync(dir));
    if (dirs.length < roots.dirs[root].length) unreadable.add(root);
    return dirs;
  };
  const found = [
    ...(await findInModelsFolders(existing("models"), MAX_LIBRARY_MODELS)),
    ...(await Promise.all(existing("hf-cache").map((dir) => findInHubCache(dir, MAX_LIBRARY_MODELS)))).flat(),
  ].slice(0, MAX_LIBRARY_MODELS);
  const models: TrainerModel[] = [];
  for (const f of found) {
    // Only what a run could load: a folder whose real path leaves its root (a symlink out) is not listed.
    const dir = await resolveInside(f.rootDir, f.relative).catch(() => undefined);
    if (dir !== undefined) models.push(await describe({ ...f, dir }, limits));
  }
  const datasets = [
    ...(await findDatasets("builtin", existing("builtin"), MAX_LIBRARY_DATASETS)),
    ...(await findDatasets("datasets", existing("datasets"), MAX_LIBRARY_DATASETS)),
  ].slice(0, MAX_LIBRARY_DATASETS);
  return { models, datasets, scannedAt: new Date().toISOString(), unreadableRoots: [...unreadable] };
}

export class ModelLibrary {
  private current: Promise<TrainerLibrary> | undefined;
  private scanning: Promise<TrainerLibrary> | undefined;

  constructor(
    private readonly roots: FileRoots,
    private readonly files: RunFiles,
    private readonly limits: () => FitLimits,
    private readonly logger?: LibraryLogger,
  ) {}

  /** The last scan (scanning first when there is none). */
  list(): Promise<TrainerLibrary> {
    this.current ??= this.rescan();
    return this.current;
  }

  /** Scans again; callers during a scan get that scan. */
  rescan(): Promise<TrainerLibrary> {
    this.scanning ??= (async () => {
      const started = Date.now();
      try {
        const library = await scanLibrary(this.roots, this.limits);
        this.current = Promise.resolve(library);
        this.logger?.info(
          { models: library.models.length, datasets: library.datasets.length, ms: Date.now() - started },
          "library scanned",
        );
        return library;
      } finally {
        this.scanning = undefined;
      }
    })();
    return this.scanning;
  }

  previewDataset(ref: DatasetRef): Promise<DatasetPreview> {
    return previewDataset(this.files, ref);
  }
}
