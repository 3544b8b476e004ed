import path from "node:path";

/** Where the database lives: a PostgreSQL server, or an embedded PGlite data folder. */
export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

/** Default embedded database folder, relative to the repository root. */
export const DEFAULT_PGLITE_DIR = "data/db";

/**
 * Parses DATABASE_URL. `postgres://` / `postgresql://` → a server; `pglite:<dir>` or nothing → embedded PGlite.
 * Throws a message naming the variable and the accepted forms for anything else.
 */
export function parseDatabaseUrl(url: string | undefined, root = process.cwd()): DatabaseTarget {
  if (!url) return { kind: "pglite", dataDir: path.resolve(root, DEFAULT_PGLITE_DIR) };
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return { kind: "postgres", url };
  if (url.startsWith("pglite:")) {
    const dir = url.slice("pglite:".length);
    if (dir === "memory://" || dir === "") return { kind: "pglite", dataDir: "memory://" };
    return { kind: "pglite", dataDir: path.resolve(root, dir) };
  }
  throw new Error(
    `DATABASE_URL must start with postgresql://, postgres:// or pglite:<folder> (got "${url.slice(0, 32)}")`,
  );
}
