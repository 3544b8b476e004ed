/**
 * Test databases: a fresh, uniquely named database on the PostgreSQL server of DATABASE_URL (CI and any
 * machine with Postgres), or an in-memory PGlite when DATABASE_URL is unset (a laptop without Postgres).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { parse } from "pg-connection-string";
import { type Database, openDatabase } from "./client.ts";
import { type DatabaseTarget, parseDatabaseUrl } from "./database-url.ts";
import { migrateDatabase } from "./migrator.ts";

export interface TestDatabase {
  target: DatabaseTarget;
  /** Drops the database (Postgres) — call once after the suite. */
  drop(): Promise<void>;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ ...parse(url), database: "postgres" } as pg.ClientConfig);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database (no tables) for one test file or suite. */
// biome-ignore lint/style/noProcessEnv: test helper; DATABASE_URL names the server to create test databases on
export async function createTestDatabase(baseUrl = process.env.DATABASE_URL): Promise<TestDatabase> {
  const base = parseDatabaseUrl(baseUrl);
  if (base.kind === "pglite" && !baseUrl?.startsWith("pglite:")) {
    return { target: { kind: "pglite", dataDir: "memory://" }, drop: async () => {} };
  }
  if (base.kind === "pglite") return { target: base, drop: async () => {} };
  const name = `bupo_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await adminQuery(base.url, `CREATE DATABASE "${name}"`);
  const url = new URL(base.url);
  url.pathname = `/${name}`;
  return {
    target: { kind: "postgres", url: url.toString() },
    drop: () => adminQuery(base.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** A migrated database with an open client; `close()` disconnects and drops it. */
export async function openTestDatabase(): Promise<Database & { drop(): Promise<void> }> {
  const test = await createTestDatabase();
  const db = await openDatabase(test.target, { poolSize: 4 });
  await migrateDatabase(db);
  return {
    ...db,
    drop: async () => {
      await db.close();
      await test.drop();
    },
  };
}
