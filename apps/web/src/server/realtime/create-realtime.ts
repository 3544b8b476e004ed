import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
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
    ...(opts.adapter ? { adapter: opts.adapter } : {}),
  });
  attachBrowserNamespace(io, deps);
  attachTrainerNamespace(io, deps);
  return io;
}
