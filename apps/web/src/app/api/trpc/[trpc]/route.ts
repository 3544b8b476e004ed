import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "../../../../server/api/root.ts";
import { createContext } from "../../../../server/api/trpc.ts";
import { CLIENT_IP_HEADER, contextDepsFromEnv, isSameOrigin } from "../../../../server/request.ts";

async function handler(req: Request): Promise<Response> {
  if (req.method !== "GET" && !isSameOrigin(req)) {
    return Response.json({ error: { message: "Cross-site request refused." } }, { status: 403 });
  }
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
