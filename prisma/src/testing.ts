/**
 * Test databases: a fresh, uniquely named database on the PostgreSQL server of DATABASE_URL (CI and any
 * machine with Postgres), or an in-memory PGlite when DATABASE_URL is unset (a laptop without Postgres).
 * Where other processes must share the database (pipeline tests: BUPO_TEST_DB_SHARED=1), the in-memory
 * PGlite is served over the PostgreSQL wire protocol and the test reaches it through that port as well.
 * BUPO_REQUIRE=postgres (CI) makes the embedded fallback an error instead.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { parse } from "pg-connection-string";
import { type Database, openDatabase } from "./client.ts";
import { type DatabaseTarget, parseDatabaseUrl } from "./database-url.ts";
import { migrateDatabase } from "./migrator.ts";
import { openPglite } from "./pglite.ts";
import { servePgliteOverWire } from "./pglite-wire.ts";

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

/** Test databases share a prefix per test run, so the runner can drop what a killed process left behind. */
// biome-ignore lint/style/noProcessEnv: set by scripts/test.mjs for one run
const testDatabasePrefix = () => process.env.BUPO_TEST_DB_PREFIX ?? "bupo_test_";

/** Drops every database whose name starts with `prefix` (leftovers of killed test processes). */
export async function dropTestDatabases(baseUrl: string, prefix: string): Promise<string[]> {
  if (!/^bupo_test_\w*$/.test(prefix)) throw new Error(`refusing to drop databases with prefix "${prefix}"`);
  const client = new pg.Client({ ...parse(baseUrl), database: "postgres" } as pg.ClientConfig);
  await client.connect();
  try {
    const r = await client.query<{ datname: string }>(
      "select datname from pg_database where starts_with(datname, $1)",
      [prefix],
    );
    for (const { datname } of r.rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    return r.rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

/** Services a run insists on (BUPO_REQUIRE=postgres,redis): tests that need them fail rather than skip. */
export function requiredServices(): string[] {
  // biome-ignore lint/style/noProcessEnv: set by .ci/run (and npm test under CI)
  return (process.env.BUPO_REQUIRE ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Creates an empty database (no tables) for one test file or suite. */
// biome-ignore lint/style/noProcessEnv: test helper; DATABASE_URL names the server to create test databases on
export async function createTestDatabase(baseUrl = process.env.DATABASE_URL): Promise<TestDatabase> {
  const base = parseDatabaseUrl(baseUrl);
  if (base.kind === "pglite" && requiredServices().includes("postgres")) {
    throw new Error("BUPO_REQUIRE names postgres, but DATABASE_URL is not a postgresql:// URL");
  }
  if (base.kind === "pglite" && !baseUrl?.startsWith("pglite:")) {
    return { target: { kind: "pglite", dataDir: "memory://" }, drop: async () => {} };
  }
  if (base.kind === "pglite") return { target: base, drop: async () => {} };
  const name = `${testDatabasePrefix()}${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await adminQuery(base.url, `CREATE DATABASE "${name}"`);
  const url = new URL(base.url);
  url.pathname = `/${name}`;
  return {
    target: { kind: "postgres", url: url.toString() },
    drop: () => adminQuery(base.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

// biome-ignore lint/style/noProcessEnv: set per vitest project (apps/web pipeline tests)
const sharedWithOtherProcesses = () => process.env.BUPO_TEST_DB_SHARED === "1";

/**
 * A migrated database with an open client; `drop()` disconnects and drops it. Its target is PostgreSQL
 * (a server, or the embedded PGlite served on a loopback port) when BUPO_TEST_DB_SHARED=1.
 */
export async function openTestDatabase(): Promise<Database & { drop(): Promise<void> }> {
  const test = await createTestDatabase();
  if (test.target.kind === "pglite" && sharedWithOtherProcesses()) return openServedPglite();
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

/** An in-memory PGlite on a loopback PostgreSQL port, migrated, with a client through that port. */
async function openServedPglite(): Promise<Database & { drop(): Promise<void> }> {
  const pglite = await openPglite("memory://");
  const server = await servePgliteOverWire(pglite);
  const db = await openDatabase({ kind: "postgres", url: server.url }, { poolSize: 4 });
  await migrateDatabase(db);
  return {
    ...db,
    drop: async () => {
      await db.close();
      await server.close();
      await pglite.close();
    },
  };
}
