/**
 * Integration-test harness: real procedures over a real, freshly migrated database (PostgreSQL from
 * DATABASE_URL, in-memory PGlite otherwise). A TestClient is one browser: it keeps the session cookie the
 * server sets, exactly as a cookie jar would, and calls the router through tRPC's server-side caller.
 */
import { openTestDatabase } from "@bupo/db/testing";
import { createCaller } from "../src/server/api/root.ts";
import { type ContextDeps, createContext } from "../src/server/api/trpc.ts";
import { SESSION_COOKIE } from "../src/server/auth/cookies.ts";

export type TestDb = Awaited<ReturnType<typeof openTestDatabase>>;

export const TEST_AUTH = {
  sessionTtlDays: 30,
  windowMinutes: 15,
  maxFailuresPerAccount: 5,
  maxFailuresPerIp: 50,
};

export async function openHarness() {
  const db = await openTestDatabase();
  const deps: ContextDeps = { prisma: db.prisma, auth: TEST_AUTH, secureCookies: false };
  let n = 0;
  return {
    db,
    deps,
    /** A new anonymous browser (own cookie jar, own IP unless given). */
    client(ip = `10.0.0.${++n}`) {
      return new TestClient(deps, ip);
    },
    /** A browser already signed up as a fresh user. */
    async user(name = `User ${++n}`) {
      const c = new TestClient(deps, `10.1.0.${n}`);
      const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${Date.now()}.${n}@example.com`;
      const user = await c.api((a) => a.auth.signUp({ email, password: "correct horse battery", name }));
      return Object.assign(c, { user, email });
    },
  };
}

export class TestClient {
  cookie: string | undefined;
  constructor(
    private readonly deps: ContextDeps,
    readonly ip: string,
  ) {}

  async api<T>(fn: (api: ReturnType<typeof createCaller>) => Promise<T>): Promise<T> {
    const headers = new Headers(this.cookie ? { cookie: `${SESSION_COOKIE}=${this.cookie}` } : {});
    const resHeaders = new Headers();
    const ctx = await createContext(this.deps, {
      headers,
      resHeaders,
      meta: { ip: this.ip, userAgent: "vitest" },
    });
    try {
      return await fn(createCaller(ctx));
    } finally {
      for (const line of resHeaders.getSetCookie()) {
        const m = new RegExp(`^${SESSION_COOKIE}=([^;]*);.*Max-Age=(\\d+)`).exec(line);
        if (m) this.cookie = m[2] === "0" ? undefined : m[1];
      }
    }
  }
}
