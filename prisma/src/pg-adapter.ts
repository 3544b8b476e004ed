import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { ColumnTypeEnum, type SqlQueryable } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { parse } from "pg-connection-string";

/**
 * PostgreSQL driver adapter for the schema engine, with the three fixes of shared/docs/db-recipe.md:
 * 1. pg "char" columns (oid 18, read by the engine's describer) are reported as text to adapter-pg and then
 *    handed to the engine as Character — done with a pool-local Client subclass, nothing global is patched.
 * 2. Discrete connection fields, not `connectionString`, so the shadow database really is another database.
 * 3. We create and drop the shadow database ourselves (`WITH (FORCE)`), so none are left behind.
 */
const CHAR_OID = 18;
const TEXT_OID = 25;
const charColumnsBySql = new Map<string, number[]>();

type QueryResultLike = { fields?: { dataTypeID: number }[] };

function rewriteCharColumns(sql: string | undefined, result: unknown): unknown {
  for (const r of [result].flat() as QueryResultLike[]) {
    const idx: number[] = [];
    r?.fields?.forEach((f, i) => {
      if (f.dataTypeID === CHAR_OID) {
        f.dataTypeID = TEXT_OID;
        idx.push(i);
      }
    });
    if (idx.length && sql) charColumnsBySql.set(sql, idx);
  }
  return result;
}

class CharAwareClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  override query(...args: any[]): any {
    const sql: string | undefined = typeof args[0] === "string" ? args[0] : args[0]?.text;
    const cbIndex = args.findIndex((a) => typeof a === "function");
    if (cbIndex >= 0) {
      const cb = args[cbIndex];
      args[cbIndex] = (err: Error | null, res: unknown) => cb(err, err ? res : rewriteCharColumns(sql, res));
    }
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const out = (super.query as any)(...args);
    return out?.then ? out.then((res: unknown) => rewriteCharColumns(sql, res)) : out;
  }
}

function withCharColumns<Q extends SqlQueryable>(q: Q): Q {
  const raw = q.queryRaw.bind(q);
  q.queryRaw = async (query) => {
    const result = await raw(query);
    for (const i of charColumnsBySql.get(query.sql) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  const maybeTx = q as unknown as { startTransaction?: (...a: unknown[]) => Promise<SqlQueryable> };
  if (maybeTx.startTransaction) {
    const start = maybeTx.startTransaction.bind(q);
    maybeTx.startTransaction = async (...a: unknown[]) => withCharColumns(await start(...a));
  }
  return q;
}

export function createMigrationPgAdapter(url: string): PrismaPg {
  const cfg = { ...parse(url), Client: CharAwareClient } as pg.PoolConfig;
  const base = new PrismaPg(cfg);
  const connect = base.connect.bind(base);
  const admin = async (sql: string) => {
    const c = new pg.Client(cfg);
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  base.connect = async () => withCharColumns(await connect());
  base.connectToShadowDb = async () => {
    const name = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, "")}`;
    await admin(`CREATE DATABASE "${name}"`);
    const shadow = withCharColumns(await new PrismaPg({ ...cfg, database: name }).connect());
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
    return shadow;
  };
  return base;
}
