import { describe, expect, it } from "vitest";
import { readCookie, serializeSessionCookie } from "./auth/cookies.ts";
import { isSameOrigin } from "./request.ts";

const post = (headers: Record<string, string>) =>
  new Request("http://127.0.0.1:3000/api/trpc/auth.signOut", { method: "POST", headers });

describe("CSRF guard", () => {
  it("accepts same-origin requests and refuses cross-site ones", () => {
    expect(isSameOrigin(post({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }))).toBe(true);
    expect(isSameOrigin(post({ host: "127.0.0.1:3000", origin: "http://evil.example" }))).toBe(false);
    expect(isSameOrigin(post({ host: "127.0.0.1:3000", origin: "null" }))).toBe(false);
    expect(isSameOrigin(post({ host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(isSameOrigin(post({ host: "127.0.0.1:3000", "sec-fetch-site": "same-origin" }))).toBe(true);
  });
});

describe("session cookie", () => {
  it("is httpOnly, SameSite=Lax, site-wide, and Secure only when asked", () => {
    const c = serializeSessionCookie("abc", { maxAgeSeconds: 60, secure: false });
    expect(c).toBe("bupo_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
    expect(serializeSessionCookie("abc", { maxAgeSeconds: 60, secure: true })).toMatch(/; Secure$/);
  });

  it("is read back from a Cookie header among others", () => {
    expect(readCookie("a=1; bupo_session=tok%2Den; b=2", "bupo_session")).toBe("tok-en");
    expect(readCookie("a=1", "bupo_session")).toBeUndefined();
    expect(readCookie(null, "bupo_session")).toBeUndefined();
  });
});
