import { type Database, openDatabase } from "@bupo/db/client";
import { parseDatabaseUrl } from "@bupo/db/database-url";
import { env } from "../env.ts";

// Next bundles route handlers apart from server.ts, so the one database handle (and, for the embedded
// PGlite, the one instance that may touch its folder) is pinned on globalThis and shared by both.
const globalForDb = globalThis as unknown as { __bupoDb?: Promise<Database> };

/** The process-wide database, opened on first use. server.ts migrates it before serving. */
export function getDatabase(): Promise<Database> {
  globalForDb.__bupoDb ??= openDatabase(parseDatabaseUrl(env.DATABASE_URL));
  return globalForDb.__bupoDb;
}

export async function getPrisma() {
  return (await getDatabase()).prisma;
}
