import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "../../../../env.ts";
import { appRouter } from "../../../../server/api/root.ts";
import { createContext } from "../../../../server/api/trpc.ts";
import { CLIENT_IP_HEADER, capRequestBody, contextDepsFromEnv } from "../../../../server/request.ts";
import { isSameOrigin } from "../../../../server/same-origin.ts";

async function handler(original: Request): Promise<Response> {
  if (original.method !== "GET" && !isSameOrigin(original.headers)) {
    return Response.json({ error: { message: "Cross-site request refused." } }, { status: 403 });
  }
  const req = await capRequestBody(original, env.MAX_BODY_BYTES);
  if (req instanceof Response) return req;
  const deps = await contextDepsFromEnv();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    allowMethodOverride: false,
    createContext: ({ resHeaders }) =>
      createContext(deps, {
        headers: req.headers,
        resHeaders,
        meta: {
          ip: req.headers.get(CLIENT_IP_HEADER) ?? "unknown",
          userAgent: req.headers.get("user-agent") ?? undefined,
        },
      }),
  });
}

export { handler as GET, handler as POST };
