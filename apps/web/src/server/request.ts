import { env } from "../env.ts";
import type { ContextDeps } from "./api/trpc.ts";
import { getPrisma } from "./db.ts";
import { getRunRuntime } from "./runtime.ts";

/** Header set by server.ts from the TCP peer address (any client-sent copy is dropped there). */
export const CLIENT_IP_HEADER = "x-bupo-client-ip";

export async function contextDepsFromEnv(): Promise<ContextDeps> {
  return {
    prisma: await getPrisma(),
    secureCookies: env.SECURE_COOKIES,
    runtime: getRunRuntime(),
    auth: {
      sessionTtlDays: env.SESSION_TTL_DAYS,
      windowMinutes: env.LOGIN_WINDOW_MINUTES,
      maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: env.LOGIN_MAX_FAILURES_PER_IP,
    },
  };
}

/**
 * CSRF guard for state-changing requests: the browser's Origin (or, failing that, Sec-Fetch-Site) must
 * say same-origin. Together with SameSite=Lax cookies and JSON-only bodies this blocks cross-site forms.
 */
export function isSameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (origin) {
    const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  const site = req.headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}
