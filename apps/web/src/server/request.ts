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

const tooLarge = (maxBytes: number) =>
  Response.json(
    { error: { message: `Request body too large: the limit is ${maxBytes} bytes.` } },
    { status: 413 },
  );

/**
 * The request with its body read into memory, or a 413 response when the body is over `maxBytes`: answered
 * from Content-Length before anything is read when the client declares a size, else as soon as the streamed
 * bytes pass the cap. Nothing over the cap is buffered or parsed.
 */
export async function capRequestBody(req: Request, maxBytes: number): Promise<Request | Response> {
  if (!req.body) return req;
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes) {
    await req.body.cancel();
    return tooLarge(maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body: Buffer.concat(chunks) });
}
