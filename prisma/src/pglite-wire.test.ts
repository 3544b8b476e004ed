import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PgliteWireServer, servePgliteOverWire } from "./pglite-wire.ts";

let db: PGlite;
let server: PgliteWireServer;
let pool: pg.Pool;

beforeAll(async () => {
  db = await PGlite.create();
  server = await servePgliteOverWire(db);
  pool = new pg.Pool({ connectionString: server.url, max: 8 });
  await pool.query("create table item (id serial primary key, k int not null, v text not null)");
});

afterAll(async () => {
  await pool.end();
  await server.close();
  await db.close();
});

describe("PGlite over the PostgreSQL wire protocol", () => {
  it("keeps many connections' parameterized statements and transactions apart", async () => {
    // Each pg query is Parse/Bind/Describe/Execute/Sync on the unnamed statement: if two connections'
    // messages interleaved on the one session, Binds would hit the wrong statement.
    const wrong: string[] = [];
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        if (i % 3 === 0) {
          const c = await pool.connect();
          try {
            await c.query("BEGIN");
            await c.query("insert into item (k, v) values ($1, $2)", [i, `v${i}`]);
            const r = await c.query<{ n: number }>("select count(*)::int as n from item where k = $1", [i]);
            if (r.rows[0]?.n !== 1) wrong.push(`tx ${i}`);
            await c.query("COMMIT");
          } finally {
            c.release();
          }
        } else {
          const r = await pool.query<{ a: number; b: string }>("select $1::int as a, $2::text as b", [
            i,
            `s${i}`,
          ]);
          if (r.rows[0]?.a !== i || r.rows[0]?.b !== `s${i}`) wrong.push(`select ${i}`);
        }
      }),
    );
    expect(wrong).toEqual([]);
    expect((await pool.query("select count(*)::int as n from item")).rows[0].n).toBe(100);
  });

  it("lets no other connection in while a transaction is open", async () => {
    const a = await pool.connect();
    try {
      await a.query("BEGIN");
      await a.query("insert into item (k, v) values (-1, 'inside')");
      let seen: number | undefined;
      const other = pool
        .query<{ n: number }>("select count(*)::int as n from item where k = -1")
        .then((r) => (seen = r.rows[0]?.n));
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toBeUndefined(); // waits for the transaction, not inside it
      await a.query("COMMIT");
      await other;
      expect(seen).toBe(1);
    } finally {
      a.release();
    }
  });

  it("rolls back the open transaction of a client that disconnects, and serves the others", async () => {
    const quitter = new pg.Client({ connectionString: server.url });
    quitter.on("error", () => {}); // its own connection ending under it
    await quitter.connect();
    await quitter.query("BEGIN");
    await quitter.query("insert into item (k, v) values (-2, 'abandoned')");
    const waiting = pool.query<{ n: number }>("select count(*)::int as n from item where k = -2");
    (quitter as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect((await waiting).rows[0]?.n).toBe(0);
  });
});
