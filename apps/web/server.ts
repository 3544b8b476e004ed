/**
 * BuPO Studio web server: Next.js and (later) Socket.IO on one http.Server. Thin entry point — it reads the
 * typed env, opens (and for the embedded database migrates and seeds) the database, then serves.
 */
import { createServer } from "node:http";
import { DEMO_LOGIN, migrateDatabase, seedDemo } from "@bupo/db";
import next from "next";
import { env } from "./src/env.ts";
import { getDatabase } from "./src/server/db.ts";
import { CLIENT_IP_HEADER } from "./src/server/request.ts";

const dev = env.NODE_ENV !== "production";
const db = await getDatabase();
const applied = await migrateDatabase(db);
if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
const seedDemoData = env.BUPO_SEED_DEMO || db.target.kind === "pglite";
if (seedDemoData) await seedDemo(db.prisma);

const app = next({ dev, hostname: env.HOST, port: env.PORT });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  // The client IP comes from the TCP peer, never from what the client claims.
  req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";
  req.headers["x-bupo-path"] = req.url ?? "/";
  void handle(req, res);
});

server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  const url = `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${port}`;
  const where = db.target.kind === "pglite" ? `embedded PGlite at ${db.target.dataDir}` : "PostgreSQL";
  console.log(`BuPO Studio web ready on ${url} (${dev ? "development" : "production"}, database: ${where})`);
  if (seedDemoData) console.log(`Demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  console.log(`${signal}: shutting down`);
  server.close();
  await app.close?.();
  await db.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
