import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHarness } from "./harness.ts";

// Bad input: a clear error naming the field (and range), never a stack trace, and nothing written.
let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.db.drop());

async function rowCounts() {
  const p = h.db.prisma;
  return [await p.user.count(), await p.team.count(), await p.invitation.count(), await p.session.count()];
}

async function fieldErrors(call: Promise<unknown>) {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  const e = err as TRPCError;
  expect(e.code).toBe("BAD_REQUEST");
  return e;
}

const LONG = "x".repeat(10_000);

describe("bad input", () => {
  // The router's own input parsing (zod, shared schemas) is exercised through the caller; the formatted
  // fieldErrors of the HTTP response are covered by test/http.test.ts.
  const cases: [string, Record<string, unknown>, string][] = [
    ["malformed email", { email: "not-an-email", password: "long enough pw", name: "A" }, "email"],
    ["email without domain", { email: "ada@", password: "long enough pw", name: "A" }, "email"],
    ["empty email", { email: "", password: "long enough pw", name: "A" }, "email"],
    [
      "10,000-character email",
      { email: `${LONG}@example.com`, password: "long enough pw", name: "A" },
      "email",
    ],
    ["short password", { email: "a@example.com", password: "short", name: "A" }, "password"],
    ["10,000-character password", { email: "a@example.com", password: LONG, name: "A" }, "password"],
    ["empty name", { email: "a@example.com", password: "long enough pw", name: "   " }, "name"],
    ["10,000-character name", { email: "a@example.com", password: "long enough pw", name: LONG }, "name"],
    ["number as email", { email: 42, password: "long enough pw", name: "A" }, "email"],
    ["missing password", { email: "a@example.com", name: "A" }, "password"],
  ];
  for (const [label, input, field] of cases) {
    it(`sign-up rejects ${label} on field ${field}, writing nothing`, async () => {
      const before = await rowCounts();
      const c = h.client();
      // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
      const e = await fieldErrors(c.api((a) => a.auth.signUp(input as any)));
      const issues = (e.cause as unknown as { issues: { path: PropertyKey[] }[] }).issues;
      expect(issues.map((i) => i.path.join("."))).toContain(field);
      expect(await rowCounts()).toEqual(before);
      expect(c.cookie).toBeUndefined();
    });
  }

  it("team and invitation inputs: empty / 10,000-char names, unknown roles, out-of-range expiry", async () => {
    const u = await h.user("Validator");
    const team = await u.api((a) => a.team.create({ name: "Valid" }));
    const before = await rowCounts();
    await fieldErrors(u.api((a) => a.team.create({ name: "" })));
    await fieldErrors(u.api((a) => a.team.create({ name: LONG })));
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
    await fieldErrors(u.api((a) => a.team.create({ name: 7 as any })));
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
    await fieldErrors(u.api((a) => a.team.invitation.create({ teamId: team.id, role: "GOD" as any })));
    await fieldErrors(u.api((a) => a.team.invitation.create({ teamId: team.id, expiresInHours: 0 })));
    await fieldErrors(u.api((a) => a.team.invitation.create({ teamId: team.id, expiresInHours: 10_000 })));
    await fieldErrors(u.api((a) => a.team.invitation.accept({ token: "../../etc/passwd" })));
    await fieldErrors(u.api((a) => a.team.get({ teamId: LONG })));
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses control characters (NUL, escape) in user, team and run names and in search: field errors, nothing stored", async () => {
    const u = await h.user("Controls");
    const team = await u.api((a) => a.team.create({ name: "Controls" }));
    const before = [...(await rowCounts()), await h.db.prisma.run.count()];
    const fieldOf = async (call: Promise<unknown>) => {
      const e = await fieldErrors(call);
      const issues = (e.cause as unknown as { issues: { path: PropertyKey[]; message: string }[] }).issues;
      expect(issues[0]?.message).toMatch(/must not contain control characters/);
      return issues.map((i) => i.path.join("."));
    };
    expect(
      await fieldOf(
        h
          .client()
          .api((a) =>
            a.auth.signUp({ email: "nul@example.com", password: "long enough pw", name: "A\u0000B" }),
          ),
      ),
    ).toEqual(["name"]);
    expect(await fieldOf(u.api((a) => a.team.create({ name: "Lab\u0000" })))).toEqual(["name"]);
    expect(await fieldOf(u.api((a) => a.team.create({ name: "Lab\u001b[31m" })))).toEqual(["name"]);
    expect(
      await fieldOf(u.api((a) => a.run.create({ teamId: team.id, config: { name: "run\u0000one" } }))),
    ).toEqual(["config.name"]);
    expect(
      await fieldOf(u.api((a) => a.run.create({ teamId: team.id, config: { tags: ["a\u0000"] } }))),
    ).toEqual(["config.tags.0"]);
    expect(await fieldOf(u.api((a) => a.run.list({ teamId: team.id, search: "x\u0000" })))).toEqual([
      "search",
    ]);
    expect(await fieldOf(u.api((a) => a.run.get({ runId: "r\u0000" })))).toEqual(["runId"]);
    expect([...(await rowCounts()), await h.db.prisma.run.count()]).toEqual(before);
  });
});
