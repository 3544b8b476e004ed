/**
 * Offline stand-in for `prisma migrate`: @prisma/schema-engine-wasm driven through a driver adapter,
 * because every Prisma 7 CLI command needs the Rust schema engine, which cannot be downloaded here
 * (shared/docs/db-recipe.md). Same migration folders and `_prisma_migrations` table as the CLI.
 * Keep @prisma/schema-engine-wasm pinned to the build of the Prisma version in use.
 */
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { Database } from "./client.ts";
import type { DatabaseTarget } from "./database-url.ts";
import { createMigrationPgAdapter } from "./pg-adapter.ts";
import { openPglite } from "./pglite.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SCHEMA_PATH = path.resolve(here, "../schema.prisma");
export const DEFAULT_MIGRATIONS_DIR = path.resolve(here, "../migrations");
const FILTERS = { externalTables: [], externalEnums: [] };
const LOCKFILE = 'provider = "postgresql"\n';

export interface MigrationStatus {
  upToDate: boolean;
  pending: string[];
  edited: string[];
  failed: string[];
  /** Migrations recorded in the database but missing from the folder. */
  unknown: string[];
}

export interface Migrator {
  /** Applies pending migrations; returns the names applied (empty when none were pending). */
  deploy(): Promise<string[]>;
  status(): Promise<MigrationStatus>;
  /** Writes a new migration folder from the schema change, or returns null when nothing changed. */
  create(name: string): Promise<string | null>;
  close(): Promise<void>;
}

export interface MigratorOptions {
  target: DatabaseTarget;
  /** An already-open PGlite to migrate in place (the embedded server shares one instance). */
  pglite?: PGlite;
  schemaPath?: string;
  migrationsDir?: string;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

let wasmReady: Promise<void> | undefined;
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const js = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await fs.readFile(path.join(path.dirname(js), "schema_engine_bg.wasm"));
    // `WebAssembly` is a Node global that @types/node 20 does not declare.
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const instance = new wasm.Instance(new wasm.Module(bytes), { "./schema_engine_bg.js": bg });
    const panicRegistry = {
      message: "",
      set_message(m: string) {
        panicRegistry.message = m;
      },
    };
    (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = panicRegistry;
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  })();
  return wasmReady;
}

async function readMigrations(dir: string): Promise<bg.MigrationList> {
  const lock = await fs.readFile(path.join(dir, "migration_lock.toml"), "utf8").catch(() => null);
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: await fs.readFile(path.join(dir, name, "migration.sql"), "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (e: unknown) => ({ tag: "error" as const, value: String(e) }),
        ),
      },
    })),
  );
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lock },
    shadowDbInitScript: "",
    migrationDirectories,
  } as bg.MigrationList;
}

function migrationFolderName(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  return `${stamp}_${name.replace(/\W/g, "_")}`;
}

export async function openMigrator(opts: MigratorOptions): Promise<Migrator> {
  await loadWasm();
  const schemaPath = opts.schemaPath ?? DEFAULT_SCHEMA_PATH;
  const migrationsDir = opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const schema = await fs.readFile(schemaPath, "utf8");
  const files = { files: [{ path: schemaPath, content: schema }] };

  let closeDb = async () => {};
  let factory: unknown;
  if (opts.target.kind === "postgres") {
    // The engine never disposes the connections it opens; an open one keeps holding the migration advisory
    // lock until the pool's idle timeout, which would stall the next migrator by ~10 s. Track and dispose them.
    const pgFactory = createMigrationPgAdapter(opts.target.url);
    const connect = pgFactory.connect.bind(pgFactory);
    const opened: { dispose(): Promise<void> }[] = [];
    pgFactory.connect = async () => {
      const adapter = await connect();
      opened.push(adapter);
      return adapter;
    };
    closeDb = async () => {
      await Promise.all(opened.map((a) => a.dispose().catch(() => {})));
    };
    factory = pgFactory;
  } else {
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const db = opts.pglite ?? (await openPglite(opts.target.dataDir));
    if (!opts.pglite) closeDb = () => db.close();
    factory = new PrismaPGlite(db); // shadow databases are in-memory PGlites
  }
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] } as bg.ConstructorOptions,
    () => {},
    // biome-ignore lint/suspicious/noExplicitAny: both adapters implement the migration-aware factory
    bindMigrationAwareSqlAdapterFactory(factory as any),
  );
  const panicMessage = () =>
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { message: string } }).PRISMA_WASM_PANIC_REGISTRY
      ?.message ?? "";
  const run = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(`migrate ${what} failed: ${msg} ${panicMessage()}`.trim());
    }
  };

  return {
    deploy: () =>
      run("deploy", async () => {
        const r = await engine.applyMigrations({
          migrationsList: await readMigrations(migrationsDir),
          filters: FILTERS,
        });
        return r.appliedMigrationNames;
      }),
    status: () =>
      run("status", async () => {
        const r = await engine.diagnoseMigrationHistory({
          migrationsList: await readMigrations(migrationsDir),
          optInToShadowDatabase: false,
          filters: FILTERS,
        });
        const h = r.history;
        const pending = h && h.diagnostic !== "migrationsDirectoryIsBehind" ? h.unappliedMigrationNames : [];
        const unknown = h && h.diagnostic !== "databaseIsBehind" ? h.unpersistedMigrationNames : [];
        const status = { pending, unknown, edited: r.editedMigrationNames, failed: r.failedMigrationNames };
        const upToDate = !h && !status.edited.length && !status.failed.length;
        return { upToDate, ...status };
      }),
    create: (name) =>
      run("create", async () => {
        const list = await readMigrations(migrationsDir);
        const from: bg.DiffTarget = list.migrationDirectories.length
          ? {
              tag: "migrations",
              ...list,
              lockfile: { ...list.lockfile, content: list.lockfile.content ?? LOCKFILE },
            }
          : { tag: "empty" };
        const r = await engine.diff({
          from,
          to: { tag: "schemaDatamodel", ...files },
          script: true,
          exitCode: true,
          filters: FILTERS,
        } as bg.DiffParams);
        if (r.exitCode !== 2) return null;
        const folder = migrationFolderName(name);
        await fs.mkdir(path.join(migrationsDir, folder), { recursive: true });
        await fs.writeFile(path.join(migrationsDir, folder, "migration.sql"), r.stdout ?? "");
        if (list.lockfile.content === null)
          await fs.writeFile(path.join(migrationsDir, "migration_lock.toml"), LOCKFILE);
        return folder;
      }),
    close: async () => {
      engine.free();
      await closeDb();
    },
  };
}

/** Applies pending migrations to an open database (sharing its embedded PGlite instance, if any). */
export async function migrateDatabase(db: Pick<Database, "target" | "pglite">): Promise<string[]> {
  const migrator = await openMigrator({ target: db.target, pglite: db.pglite });
  try {
    return await migrator.deploy();
  } finally {
    await migrator.close();
  }
}
