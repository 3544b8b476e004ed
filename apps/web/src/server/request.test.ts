import { describe, expect, it } from "vitest";
import { readCookie, serializeSessionCookie } from "./auth/cookies.ts";
import { capRequestBody } from "./request.ts";
import { isSameOrigin, toFetchHeaders } from "./same-origin.ts";

const post = (headers: Record<string, string>) =>
  new Request("http://127.0.0.1:3000/api/trpc/auth.signOut", { method: "POST", headers }).headers;

describe("CSRF guard", () => {
  it("accepts same-origin requests and refuses cross-site ones", () => {
    expect(isSameOrigin(post({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }))).toBe(true);
    expect(isSameOrigin(post({ host: "127.0.0.1:3000", origin: "http://evil.example" }))).toBe(false);
    expect(isSameOrigin(post({ host: "127.0.0.1:3000", origin: "null" }))).toBe(false);
    expect(isSameOrigin(post({ host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(isSameOrigin(post({ host: "127.0.0.1:3000", "sec-fetch-site": "same-origin" }))).toBe(true);
  });

  it("reads Node's request headers (a socket handshake's) the same way", () => {
    const node = { host: "127.0.0.1:3000", origin: "http://evil.example", "set-cookie": ["a=1", "b=2"] };
    expect(isSameOrigin(toFetchHeaders(node))).toBe(false);
    expect(isSameOrigin(toFetchHeaders({ ...node, origin: "http://127.0.0.1:3000" }))).toBe(true);
  });
});

describe("body cap", () => {
  const body = (bytes: number, headers: Record<string, string> = {}) =>
    new Request("http://127.0.0.1:3000/api/trpc/run.create", {
      method: "POST",
      headers,
      body: new ReadableStream({
        start(c) {
          for (let sent = 0; sent < bytes; sent += 1000)
            c.enqueue(new Uint8Array(Math.min(1000, bytes - sent)));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);

  it("lets a body up to the cap through, intact", async () => {
    const r = await capRequestBody(body(5000), 5000);
    expect(r).toBeInstanceOf(Request);
    expect((await (r as Request).arrayBuffer()).byteLength).toBe(5000);
  });

  it("answers 413 for a declared or a streamed size over the cap", async () => {
    expect(((await capRequestBody(body(10, { "content-length": "5001" }), 5000)) as Response).status).toBe(
      413,
    );
    expect(((await capRequestBody(body(5001), 5000)) as Response).status).toBe(413);
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
