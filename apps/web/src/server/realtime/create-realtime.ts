import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { isSameOrigin, toFetchHeaders } from "../same-origin.ts";
import { attachBrowserNamespace } from "./browser-namespace.ts";
import { attachTrainerNamespace } from "./trainer-namespace.ts";
import type { RealtimeDeps, RealtimeServer } from "./types.ts";

export interface RealtimeOptions {
  /** Socket.IO adapter for fan-out across web processes (Redis); in-memory when absent. */
  adapter?: Parameters<RealtimeServer["adapter"]>[0];
}

/** Socket.IO on the web's http.Server: browsers on `/`, trainers on `/trainer`. */
export function createRealtime(
  httpServer: HttpServer,
  deps: RealtimeDeps,
  opts: RealtimeOptions = {},
): RealtimeServer {
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 10_000,
    maxHttpBufferSize: 5e6,
    // Every handshake (polling or websocket) follows the origin rule of tRPC mutations: a page on another
    // site cannot open a socket that rides on the visitor's session cookie.
    allowRequest: (req, callback) => {
      const allowed = isSameOrigin(toFetchHeaders(req.headers));
      callback(allowed ? null : "cross-site connection refused", allowed);
    },
    ...(opts.adapter ? { adapter: opts.adapter } : {}),
  });
  attachBrowserNamespace(io, deps);
  attachTrainerNamespace(io, deps);
  return io;
}
