import { createServer, type Server } from "node:http";
import type { Logger } from "pino";

export interface HealthReport {
  status: "ok" | "draining";
  uptimeSeconds: number;
  slots: number;
  runningJobs: number;
}

export interface HealthServerDeps {
  host: string;
  port: number;
  logger: Logger;
  report(): HealthReport;
}

/** Minimal HTTP server: GET /health → JSON report (the job API mounts beside it). */
export async function startHealthServer(deps: HealthServerDeps): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/health") {
      const report = deps.report();
      res.writeHead(report.status === "ok" ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify(report));
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "not found" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(deps.port, deps.host, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : deps.port;
  const url = `http://${deps.host}:${port}`;
  deps.logger.info({ url }, "trainer listening");
  return { server, url };
}
