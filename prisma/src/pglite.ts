import fs from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";

/** Opens (creating if needed) an embedded PGlite database folder; `memory://` for a throwaway one. */
export async function openPglite(dataDir: string): Promise<PGlite> {
  if (dataDir !== "memory://") await fs.mkdir(dataDir, { recursive: true }); // PGlite won't create parents
  return PGlite.create(dataDir === "memory://" ? undefined : dataDir);
}
