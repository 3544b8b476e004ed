import type { IncomingHttpHeaders } from "node:http";

/**
 * The one origin rule, for state-changing tRPC requests and Socket.IO handshakes alike: the browser's Origin
 * (or, failing that, Sec-Fetch-Site) must say same-origin. Together with SameSite=Lax cookies and JSON-only
 * bodies this blocks cross-site forms and cross-site sockets riding on the session cookie. Clients that are
 * not browsers (no Origin, no Sec-Fetch-Site) pass; they carry no ambient cookie.
 */
export function isSameOrigin(headers: Pick<Headers, "get">): boolean {
  const origin = headers.get("origin");
  if (origin) {
    const host = headers.get("x-forwarded-host") ?? headers.get("host");
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  const site = headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}

/** Node's request headers (an http.IncomingMessage's) as Fetch headers. */
export function toFetchHeaders(node: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(node)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.append(name, v);
  }
  return headers;
}
