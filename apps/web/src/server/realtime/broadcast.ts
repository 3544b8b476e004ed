import type { IngestResult } from "../services/ingest-service.ts";
import { runRoom } from "./rooms.ts";
import type { RealtimeServer } from "./types.ts";

/** Sends what an ingest stored (or re-delivered) to everyone in the runs' rooms, on every web process. */
export function broadcastIngest(io: RealtimeServer, r: IngestResult): void {
  for (const p of r.metrics) io.to(runRoom(p.runId)).emit("run:metrics", p);
  for (const p of r.logs) io.to(runRoom(p.runId)).emit("run:log", p);
  for (const p of r.evals) io.to(runRoom(p.runId)).emit("run:eval", p);
  for (const p of r.analyses) io.to(runRoom(p.runId)).emit("run:analysis", p);
  for (const p of r.statuses) io.to(runRoom(p.runId)).emit("run:status", p);
}
