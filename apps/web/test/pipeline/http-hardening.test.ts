import { openTestDatabase } from "@bupo/db/testing";
import { io } from "socket.io-client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userWithTeam } from "./fixtures.ts";
import { hasPostgres, type Proc, postgresUrl, startWeb } from "./processes.ts";

// The web's HTTP edge against a real server process: atomic sign-in limits, the request body cap, the
// origin rule on socket handshakes, and control characters refused with field errors.
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let web: Proc;

/** A tRPC mutation over raw HTTP, as a same-origin browser page would send it. */
function mutate(path: string, input: unknown, headers: Record<string, string> = {}) {
  return fetch(`${web.url}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: web.url, ...headers },
    body: JSON.stringify(superjson.serialize(input)),
  });
}

describe.skipIf(!hasPostgres)("the web's HTTP edge", () => {
  beforeAll(async () => {
    db = await openTestDatabase();
    web = await startWeb({ databaseUrl: postgresUrl(db.target), trainerUrls: [], token: "t".repeat(32) });
  }, 120_000);
  afterAll(async () => {
    await web?.stop();
    await db?.drop();
  });

  it("lets at most 5 of 25 parallel wrong passwords for one account reach the password check", async () => {
    const { email } = await userWithTeam(web.url);
    const statuses = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        mutate("auth.signIn", { email, password: `wrong-${i}` }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  }, 60_000);

  it("answers 413 to a 30 MB body, declared or streamed, and stores nothing", async () => {
    const owner = await userWithTeam(web.url);
    const teams = await db.prisma.team.count();
    const huge = JSON.stringify(superjson.serialize({ name: "x".repeat(30 * 1024 * 1024) }));
    const declared = await fetch(`${web.url}/api/trpc/team.create`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: web.url, cookie: owner.jar.cookie },
      body: huge,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: { message: expect.stringContaining("too large") } });
    const bytes = new TextEncoder().encode(huge);
    const streamed = await fetch(`${web.url}/api/trpc/team.create`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: web.url, cookie: owner.jar.cookie },
      body: new ReadableStream({
        start(c) {
          for (let at = 0; at < bytes.length; at += 1 << 20) c.enqueue(bytes.subarray(at, at + (1 << 20)));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await db.prisma.team.count()).toBe(teams);
    // Still serving, and an ordinary body passes.
    await expect(owner.client.team.create.mutate({ name: "After the flood" })).resolves.toMatchObject({
      name: "After the flood",
    });
  }, 60_000);

  it("refuses a socket handshake from a foreign Origin, over websocket and over polling", async () => {
    const { jar } = await userWithTeam(web.url);
    const connect = (transport: "websocket" | "polling", origin: string) =>
      new Promise<string>((resolve) => {
        const s = io(web.url, {
          transports: [transport],
          reconnection: false,
          extraHeaders: { cookie: jar.cookie, origin },
        });
        s.on("connect", () => {
          s.close();
          resolve("connected");
        });
        s.on("connect_error", (e) => {
          s.close();
          resolve(`refused: ${e.message}`);
        });
      });
    for (const transport of ["websocket", "polling"] as const) {
      expect(await connect(transport, "http://evil.example"), transport).toMatch(/^refused/);
      expect(await connect(transport, web.url), transport).toBe("connected");
    }
  }, 60_000);

  it("refuses NUL in user, team and run names with field errors, storing nothing", async () => {
    const owner = await userWithTeam(web.url);
    const before = [await db.prisma.user.count(), await db.prisma.team.count(), await db.prisma.run.count()];
    const fieldsOf = async (res: Response) => {
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { json: { data: { fieldErrors: { field: string }[] } } } };
      return body.error.json.data.fieldErrors.map((f) => f.field);
    };
    const auth = { cookie: owner.jar.cookie };
    expect(
      await fieldsOf(
        await mutate("auth.signUp", {
          email: "nul@example.com",
          password: "long enough pw",
          name: "A\u0000",
        }),
      ),
    ).toEqual(["name"]);
    expect(await fieldsOf(await mutate("team.create", { name: "Lab\u0000" }, auth))).toEqual(["name"]);
    expect(
      await fieldsOf(
        await mutate("run.create", { teamId: owner.team.id, config: { name: "run\u0000" } }, auth),
      ),
    ).toEqual(["config.name"]);
    expect([await db.prisma.user.count(), await db.prisma.team.count(), await db.prisma.run.count()]).toEqual(
      before,
    );
  }, 60_000);
});
