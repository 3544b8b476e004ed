import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/client/client.ts";
import type { DatabaseTarget } from "./database-url.ts";
import { openPglite } from "./pglite.ts";

export { Prisma, PrismaClient } from "../generated/client/client.ts";
export * from "../generated/client/enums.ts";
export type * from "../generated/client/models.ts";

export interface Database {
  prisma: PrismaClient;
  target: DatabaseTarget;
  /** The embedded instance when `target` is PGlite (migrations must reuse it: one instance per folder). */
  pglite?: PGlite;
  close(): Promise<void>;
}

/**
 * Opens the database: Prisma over a pg pool for PostgreSQL, or over an in-process PGlite for the embedded
 * default (one process owns a PGlite folder; migrations and the app share that one instance).
 */
export async function openDatabase(
  target: DatabaseTarget,
  opts: { poolSize?: number } = {},
): Promise<Database> {
  let pglite: PGlite | undefined;
  let prisma: PrismaClient;
  if (target.kind === "postgres") {
    prisma = new PrismaClient({
      adapter: new PrismaPg({ connectionString: target.url, max: opts.poolSize ?? 10 }),
    });
  } else {
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    pglite = await openPglite(target.dataDir);
    prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  }
  return {
    prisma,
    target,
    pglite,
    async close() {
      await prisma.$disconnect();
      await pglite?.close();
    },
  };
}
