/**
 * BuPO Studio web server: Next.js and Socket.IO on one http.Server. Thin entry point — it reads the typed
 * env, opens the database, boots the long-lived parts (migrations, seed, sockets, scheduler), then serves.
 */
import { createServer } from "node:http";
import { DEMO_LOGIN } from "@bupo/db";
import next from "next";
import { env } from "./src/env.ts";
import { bootWebProcess } from "./src/server/boot.ts";
import { getDatabase } from "./src/server/db.ts";
import { CLIENT_IP_HEADER } from "./src/server/request.ts";
import { setRunRuntime } from "./src/server/runtime.ts";

const dev = env.NODE_ENV !== "production";
const db = await getDatabase();
const app = next({ dev, hostname: env.HOST, port: env.PORT });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  // The client IP comes from the TCP peer, never from what the client claims.
  req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";
  req.headers["x-bupo-path"] = req.url ?? "/";
  void handle(req, res);
});
const web = await bootWebProcess(server, db, env);
setRunRuntime(web.runtime);

server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  const url = `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${port}`;
  const where = db.target.kind === "pglite" ? `embedded PGlite at ${db.target.dataDir}` : "PostgreSQL";
  console.log(`BuPO Studio web ready on ${url} (${dev ? "development" : "production"}, database: ${where})`);
  console.log(
    `Trainers: ${env.TRAINER_URLS.length ? env.TRAINER_URLS.join(", ") : "none configured (set TRAINER_URLS)"}`,
  );
  if (web.seededDemo) console.log(`Demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  console.log(`${signal}: shutting down`);
  server.close();
  await web.close();
  await db.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
