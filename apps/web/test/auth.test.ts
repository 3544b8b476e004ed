import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHarness, TEST_AUTH } from "./harness.ts";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.db.drop());

const PASSWORD = "correct horse battery";
const code = (e: unknown) => (e instanceof TRPCError ? e.code : String(e));

describe("sign up", () => {
  it("creates the user with an argon2id hash, starts a session and sets an httpOnly cookie", async () => {
    const c = h.client();
    const user = await c.api((a) =>
      a.auth.signUp({ email: "  Ada@Example.com ", password: PASSWORD, name: "Ada" }),
    );
    expect(user.email).toBe("ada@example.com");
    expect(c.cookie).toMatch(/^[\w-]{43}$/);
    const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(PASSWORD);
    const session = await h.db.prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session.tokenHash).not.toBe(c.cookie); // only the hash is stored
    expect(await c.api((a) => a.auth.me())).toMatchObject({ id: user.id, email: "ada@example.com" });
  });

  it("refuses a duplicate email (any case) with CONFLICT on the email field", async () => {
    const c = h.client();
    const err = await c
      .api((a) => a.auth.signUp({ email: "ADA@example.com", password: PASSWORD, name: "Other Ada" }))
      .catch((e: unknown) => e);
    expect(code(err)).toBe("CONFLICT");
    expect(await h.db.prisma.user.count({ where: { email: "ada@example.com" } })).toBe(1);
    expect(c.cookie).toBeUndefined();
  });
});

describe("sign in and out", () => {
  it("logs in with the right password and out again, revoking the session server-side", async () => {
    const c = h.client();
    await c.api((a) => a.auth.signIn({ email: "ada@example.com", password: PASSWORD }));
    const token = c.cookie!;
    expect(await c.api((a) => a.auth.me())).toMatchObject({ email: "ada@example.com" });
    await c.api((a) => a.auth.signOut());
    expect(c.cookie).toBeUndefined();
    // The old cookie no longer works even if a browser kept it.
    c.cookie = token;
    expect(await c.api((a) => a.auth.me())).toBeNull();
    await expect(c.api((a) => a.team.list())).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("rejects a wrong password and an unknown email with the same message", async () => {
    const c = h.client();
    const wrong = await c
      .api((a) => a.auth.signIn({ email: "ada@example.com", password: "nope nope" }))
      .catch((e) => e);
    const unknown = await c
      .api((a) => a.auth.signIn({ email: "nobody@example.com", password: PASSWORD }))
      .catch((e) => e);
    expect(code(wrong)).toBe("UNAUTHORIZED");
    expect(code(unknown)).toBe("UNAUTHORIZED");
    expect(wrong.message).toBe(unknown.message);
    expect(c.cookie).toBeUndefined();
  });

  it("lists the user's sessions and revokes another one", async () => {
    const laptop = h.client();
    const phone = h.client();
    await laptop.api((a) => a.auth.signIn({ email: "ada@example.com", password: PASSWORD }));
    await phone.api((a) => a.auth.signIn({ email: "ada@example.com", password: PASSWORD }));
    const sessions = await laptop.api((a) => a.auth.listSessions());
    const current = sessions.find((s) => s.current)!;
    const other = sessions.filter((s) => !s.current);
    expect(other.length).toBeGreaterThan(0);
    for (const s of other) await laptop.api((a) => a.auth.revokeSession({ sessionId: s.id }));
    expect(await phone.api((a) => a.auth.me())).toBeNull();
    expect(await laptop.api((a) => a.auth.me())).not.toBeNull();
    expect((await laptop.api((a) => a.auth.listSessions())).map((s) => s.id)).toEqual([current.id]);
  });

  it("cannot revoke someone else's session", async () => {
    const ada = h.client();
    await ada.api((a) => a.auth.signIn({ email: "ada@example.com", password: PASSWORD }));
    const bob = await h.user("Bob");
    const [bobSession] = await bob.api((a) => a.auth.listSessions());
    await expect(ada.api((a) => a.auth.revokeSession({ sessionId: bobSession!.id }))).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await bob.api((a) => a.auth.me())).not.toBeNull();
  });
});

describe("login rate limiting", () => {
  it("locks an account after 5 failures in the window, even with the right password, from any IP", async () => {
    const victim = await h.user("Victim");
    for (let i = 0; i < 5; i++) {
      const attacker = h.client(`192.0.2.${i}`);
      await expect(
        attacker.api((a) => a.auth.signIn({ email: victim.email, password: `wrong-${i}` })),
      ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    const legit = h.client("198.51.100.7");
    await expect(
      legit.api((a) => a.auth.signIn({ email: victim.email, password: PASSWORD })),
    ).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringContaining("15 minutes"),
    });
  });

  it("is atomic: 25 parallel wrong passwords for one account reach the password check at most 5 times", async () => {
    const target = await h.user("Raced");
    const codes = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        h
          .client(`192.0.2.${100 + i}`)
          .api((a) => a.auth.signIn({ email: target.email, password: `wrong-${i}` }))
          .then(() => "OK", code),
      ),
    );
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(5);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(20);
    expect(await h.db.prisma.loginAttempt.count({ where: { email: target.email } })).toBe(5);
  });

  it("is atomic per IP too: 60 parallel guesses on different accounts from one IP, at most 50 checked", async () => {
    const ip = "203.0.113.77";
    const codes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        h
          .client(ip)
          .api((a) => a.auth.signIn({ email: `parallel${i}@example.com`, password: "guess" }))
          .then(() => "OK", code),
      ),
    );
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(TEST_AUTH.maxFailuresPerIp);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(60 - TEST_AUTH.maxFailuresPerIp);
  });

  it("limits one IP across many accounts", async () => {
    const ip = "203.0.113.9";
    for (let i = 0; i < 50; i++) {
      await h
        .client(ip)
        .api((a) => a.auth.signIn({ email: `spray${i}@example.com`, password: "guess" }))
        .catch(() => {});
    }
    const anyone = await h.user("Sprayed");
    await expect(
      h.client(ip).api((a) => a.auth.signIn({ email: anyone.email, password: PASSWORD })),
    ).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // The same account from another IP still works.
    await h.client("203.0.113.10").api((a) => a.auth.signIn({ email: anyone.email, password: PASSWORD }));
  });
});
