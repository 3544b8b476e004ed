/**
 * Live-pipeline benchmark (issue: trainer service and live pipeline). Starts the production web server on a
 * fresh PostgreSQL database, connects 200 browser Socket.IO clients (10 per run, 20 concurrent runs) and one
 * load generator speaking the real trainer protocol on `/trainer`, then measures:
 *   1. latency from "trainer emits a step" to "browser client receives it" (p50 / p95), steady rate;
 *   2. sustained ingestion: stored per-layer values per second (36-layer records, batches of 250 steps);
 *   3. web RSS before and after.
 * The generator stands in for 20 trainers because the real engine cannot produce 36-layer steps that fast
 * on this CPU; it sends exactly what a trainer sends. Usage (needs `next build` and DATABASE_URL=postgres):
 *   npx tsx scripts/bench-pipeline.ts [--runs 20] [--clients 200] [--seconds 15] [--layers 36]
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { openTestDatabase } from "@bupo/db/testing";
import type { StepMetrics } from "@bupo/shared/metrics";
import type { ClientToServerEvents, ServerToClientEvents } from "@bupo/shared/realtime";
import { TRAINER_NAMESPACE, type TrainerEvent } from "@bupo/shared/trainer-protocol";
import { io, type Socket } from "socket.io-client";
import { newToken, seedOwnerWithSession } from "../test/pipeline/fixtures.ts";
import { startWeb } from "../test/pipeline/processes.ts";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "20" },
    clients: { type: "string", default: "200" },
    seconds: { type: "string", default: "15" },
    layers: { type: "string", default: "36" },
    rate: { type: "string", default: "5", short: "r" },
  },
});
const RUNS = Number(args.runs);
const CLIENTS = Number(args.clients);
const SECONDS = Number(args.seconds);
const L = Number(args.layers);
const STEPS_PER_SEC_PER_RUN = Number(args.rate);
const TRAINER_ID = "http://bench-trainer.invalid:4100";

const rss = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const arr = (seed: number) => Array.from({ length: L }, (_, i) => Math.abs(Math.sin(seed * 31 + i)) * 5);

function stepMetrics(step: number): StepMetrics {
  const mod = (s: number) => ({ input: arr(s), output: arr(s + 1), change: arr(s + 2) });
  return {
    step,
    "bupo/phase": 2,
    "actor/entropy": 1.2,
    "actor/pg_loss": 0.01,
    "actor/pg_clipfrac": 0,
    "actor/pg_clipfrac_lower": 0,
    "actor/ppo_kl": 0,
    "actor/grad_norm": 0.5,
    "actor/lr": 1e-6,
    "critic/score/mean": 0.4,
    "critic/score/max": 1,
    "critic/score/min": 0,
    "response_length/mean": 30,
    "response_length/max": 32,
    "response_length/min": 20,
    "response_length/clip_ratio": 0,
    frac_reward_zero_std: 0.1,
    "perf/throughput": 900,
    "perf/time_per_step": 1,
    layers: { lens: "raw", numTokens: 512, layer: mod(step), attn: mod(step + 3), ffn: mod(step + 6) },
  };
}
const PER_LAYER_VALUES_PER_STEP = 9 * L; // layer/attn/ffn × input/output/change, L each

const db = await openTestDatabase();
if (db.target.kind !== "postgres")
  throw new Error("set DATABASE_URL=postgresql://… (the benchmark needs PostgreSQL)");
const token = newToken();
const web = await startWeb({ databaseUrl: db.target.url, trainerUrls: [], token });
const rssBefore = rss(web.child.pid!);

// One user and team, 20 running runs assigned to the generator's trainer id.
const { user, team, session } = await seedOwnerWithSession(db.prisma, 1);
const runIds: string[] = [];
for (let i = 0; i < RUNS; i++) {
  const run = await db.prisma.run.create({
    data: {
      teamId: team.id,
      creatorId: user.id,
      name: `bench ${i}`,
      kind: "TRAIN",
      algorithm: "BUPO",
      modelFamily: "QWEN3",
      config: {},
      totalSteps: 1_000_000,
      status: "RUNNING",
      trainerId: TRAINER_ID,
      attempt: 1,
    },
  });
  runIds.push(run.id);
}

// 200 browser clients, 10 per run.
const latencies: number[] = [];
const sentAt = new Map<string, number>();
const clients: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
for (let c = 0; c < CLIENTS; c++) {
  const runId = runIds[c % RUNS]!;
  const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(web.url, {
    extraHeaders: { cookie: `bupo_session=${session}` },
    transports: ["websocket"],
  });
  s.on("run:metrics", (p) => {
    const now = performance.now();
    for (const m of p.metrics) {
      const t = sentAt.get(`${p.runId}:${m.step}`);
      if (t !== undefined) latencies.push(now - t);
    }
  });
  await new Promise<void>((resolve) => s.on("connect", () => resolve()));
  const ack = await s.emitWithAck("run:join", { runId, afterStep: 0 });
  if (!ack.ok) throw new Error(`join failed: ${ack.error.message}`);
  clients.push(s);
}
const rssClients = rss(web.child.pid!);

const gen = io(`${web.url}${TRAINER_NAMESPACE}`, {
  auth: { token, trainerId: TRAINER_ID },
  transports: ["websocket"],
});
await new Promise<void>((resolve) => gen.on("connect", () => resolve()));
const seq = new Map<string, number>();
const event = (runId: string, step: number): TrainerEvent => {
  const n = (seq.get(runId) ?? 0) + 1;
  seq.set(runId, n);
  return {
    type: "metrics",
    runId,
    attempt: 1,
    seq: n,
    at: new Date().toISOString(),
    metrics: stepMetrics(step),
  };
};

// Phase 1: steady rate, each run STEPS_PER_SEC_PER_RUN steps/s, each step its own report (as a trainer does).
let step = 0;
const phase1End = Date.now() + SECONDS * 1000;
while (Date.now() < phase1End) {
  step++;
  await Promise.all(
    runIds.map((runId) => {
      sentAt.set(`${runId}:${step}`, performance.now());
      return gen.emitWithAck("trainer:report", { events: [event(runId, step)] });
    }),
  );
  await new Promise((r) => setTimeout(r, 1000 / STEPS_PER_SEC_PER_RUN));
}
await new Promise((r) => setTimeout(r, 1000));
const phase1Steps = step;
const expected = step * RUNS * (CLIENTS / RUNS);

// Phase 2: sustained ingestion, batches of 250 steps round-robin over the runs, for SECONDS.
const BATCH = 250;
let stored = 0;
const t0 = performance.now();
const phase2End = Date.now() + SECONDS * 1000;
while (Date.now() < phase2End) {
  const events: TrainerEvent[] = [];
  for (let i = 0; i < BATCH; i++) {
    const runId = runIds[i % RUNS]!;
    events.push(event(runId, ++step));
  }
  const ack = await gen.emitWithAck("trainer:report", { events });
  if (!ack.ok) throw new Error(ack.error);
  stored += ack.stored;
}
const secs = (performance.now() - t0) / 1000;
const rows = await db.prisma.runMetric.count();
const rssAfter = rss(web.child.pid!);

console.log("\n| measure | value |\n|---|---|");
console.log(`| concurrent runs / browser clients / layers | ${RUNS} / ${CLIENTS} / ${L} |`);
console.log(
  `| phase 1: steps per run, deliveries expected / received | ${phase1Steps} · ${expected} / ${latencies.length} |`,
);
console.log(
  `| emit → browser latency p50 / p95 / max (ms) | ${pct(latencies, 50).toFixed(1)} / ${pct(latencies, 95).toFixed(1)} / ${Math.max(...latencies).toFixed(1)} |`,
);
console.log(
  `| phase 2: steps stored in ${secs.toFixed(1)} s | ${stored} (${(stored / secs).toFixed(0)} steps/s) |`,
);
console.log(
  `| sustained ingestion, per-layer values/s | ${((stored * PER_LAYER_VALUES_PER_STEP) / secs).toFixed(0)} |`,
);
console.log(`| RunMetric rows in the database | ${rows} |`);
console.log(
  `| web RSS: start / 200 clients joined / after (MB) | ${rssBefore.toFixed(0)} / ${rssClients.toFixed(0)} / ${rssAfter.toFixed(0)} |`,
);

gen.close();
for (const s of clients) s.close();
await web.stop();
await db.drop();
process.exit(0);
