import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MIGRATIONS_DIR, openMigrator } from "./migrator.ts";
import { createTestDatabase, type TestDatabase } from "./testing.ts";

// Runs against the PostgreSQL of DATABASE_URL (CI: a fresh database per run); in-memory PGlite otherwise.
let db: TestDatabase;
let migrationsDir: string;

async function tables(): Promise<string[]> {
  if (db.target.kind !== "postgres") return [];
  const client = new pg.Client({ connectionString: db.target.url });
  await client.connect();
  const r = await client.query<{ tablename: string }>(
    "select tablename from pg_tables where schemaname = 'public' order by tablename",
  );
  await client.end();
  return r.rows.map((row) => row.tablename);
}

async function withMigrator<T>(fn: (m: Awaited<ReturnType<typeof openMigrator>>) => Promise<T>): Promise<T> {
  const m = await openMigrator({ target: db.target, migrationsDir });
  try {
    return await fn(m);
  } finally {
    await m.close();
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  migrationsDir = await fs.mkdtemp(path.join(os.tmpdir(), "bupo-migrations-"));
  await fs.cp(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
});
afterAll(async () => {
  await db.drop();
  await fs.rm(migrationsDir, { recursive: true, force: true });
});

describe.skipIf(!process.env.DATABASE_URL?.startsWith("postgres"))("migrator on PostgreSQL", () => {
  it("reports an empty database as behind", async () => {
    const status = await withMigrator((m) => m.status());
    expect(status.upToDate).toBe(false);
    expect(status.pending.length).toBeGreaterThan(0);
  });

  it("deploys every migration onto an empty database and creates the tables", async () => {
    const applied = await withMigrator((m) => m.deploy());
    const folders = (await fs.readdir(migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory());
    expect(applied).toEqual(folders.map((d) => d.name).sort());
    expect(await tables()).toEqual(
      expect.arrayContaining([
        "User",
        "Session",
        "Team",
        "Membership",
        "Invitation",
        "Run",
        "RunMetric",
        "_prisma_migrations",
      ]),
    );
    expect((await withMigrator((m) => m.status())).upToDate).toBe(true);
  });

  it("treats a second deploy as a no-op", async () => {
    expect(await withMigrator((m) => m.deploy())).toEqual([]);
  });

  it("detects an edited migration", async () => {
    const [first] = (await fs.readdir(migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory());
    const file = path.join(migrationsDir, first!.name, "migration.sql");
    await fs.appendFile(file, "\n-- edited after it was applied\n");
    const status = await withMigrator((m) => m.status());
    expect(status.upToDate).toBe(false);
    expect(status.edited).toEqual([first!.name]);
  });

  it("finds no schema change between the committed migrations and schema.prisma", async () => {
    const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "bupo-migrations-"));
    await fs.cp(DEFAULT_MIGRATIONS_DIR, scratch, { recursive: true });
    const m = await openMigrator({ target: db.target, migrationsDir: scratch });
    try {
      expect(await m.create("should_be_empty")).toBeNull();
    } finally {
      await m.close();
      await fs.rm(scratch, { recursive: true, force: true });
    }
  });
});

describe("migrator on embedded PGlite", () => {
  it("deploys onto a fresh in-memory database and then reports it up to date", async () => {
    const m = await openMigrator({ target: { kind: "pglite", dataDir: "memory://" } });
    try {
      expect((await m.deploy()).length).toBeGreaterThan(0);
      expect((await m.status()).upToDate).toBe(true);
    } finally {
      await m.close();
    }
  }, 60_000);
});
