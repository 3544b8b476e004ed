import { openTestDatabase } from "@bupo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMonitorLoop } from "../src/server/scheduler/monitor-loop.ts";
import { type Scheduler, startScheduler } from "../src/server/scheduler/scheduler.ts";
import { createTrainerDirectory } from "../src/server/scheduler/trainer-directory.ts";

// The monitor runs as often as configured (it once ran every ~30 s when set to 3 s: a delayed pg-boss job
// picked up only by the slow poll). Measured through what a sweep does: runs of a vanished trainer become
// due one after another (every 250 ms), and each sweep fails the due ones, stamping them with its own time;
// the distinct stamps in a window count the sweeps in it.
const N = 5;
const TIMEOUT_MS = 2000;
const silent = { info() {}, warn() {}, error() {} };

let db: Awaited<ReturnType<typeof openTestDatabase>>;
let scheduler: Scheduler | undefined;

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await scheduler?.stop();
  await db.drop();
});

describe("run monitor cadence", () => {
  it(`configured every 1 s, sweeps at least ${N} times in ${N + 1} s`, async () => {
    const user = await db.prisma.user.create({
      data: { email: "cadence@example.com", name: "Cadence", passwordHash: "x" },
    });
    const team = await db.prisma.team.create({ data: { name: "Cadence" } });
    scheduler = await startScheduler({
      db,
      trainers: createTrainerDirectory([], "service-token-0123456789"),
      logger: silent,
      heartbeatTimeoutMs: TIMEOUT_MS,
      resumeOnTrainerLoss: false,
      monitorEverySeconds: 1,
      onStatus: () => {},
      disconnectTrainer: () => {},
    });
    // A web process judges silence only once it has listened for a whole heartbeat timeout.
    await new Promise((r) => setTimeout(r, TIMEOUT_MS));

    const count = (N + 1) * 4 + 1;
    const later = new Date(Date.now() + 3_600_000);
    await db.prisma.run.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        teamId: team.id,
        creatorId: user.id,
        name: `stale ${i}`,
        kind: "TRAIN" as const,
        algorithm: "BUPO" as const,
        modelFamily: "QWEN3" as const,
        config: {},
        totalSteps: 10,
        status: "RUNNING" as const,
        trainerId: "http://127.0.0.1:9/vanished", // never sent a heartbeat
        attempt: 1,
        updatedAt: later,
      })),
    });
    // Run i falls quiet for the heartbeat timeout at t0 + i × 250 ms (one statement, so all at once).
    const t0 = Date.now() + 1000;
    const windowEnd = t0 + (N + 1) * 1000;
    await db.prisma.$executeRaw`
      UPDATE "Run" r SET "updatedAt" = ${new Date(t0 - TIMEOUT_MS)}::timestamptz + o.i * interval '250 milliseconds'
      FROM (SELECT id, row_number() OVER (ORDER BY name COLLATE "C") - 1 AS i FROM "Run") o
      WHERE r.id = o.id`;
    expect(Date.now()).toBeLessThan(t0);
    await new Promise((r) => setTimeout(r, windowEnd + 500 - Date.now()));

    const failed = await db.prisma.run.findMany({
      where: { status: "FAILED" },
      select: { finishedAt: true },
    });
    const sweeps = new Set(
      failed.map((r) => r.finishedAt!.getTime()).filter((t) => t >= t0 && t <= windowEnd),
    );
    console.log(`monitor sweeps in ${N + 1} s at a 1 s interval: ${sweeps.size}`);
    expect(sweeps.size).toBeGreaterThanOrEqual(N);
  }, 60_000);

  it("runs in one web process at a time; another takes over when it stops", async () => {
    const ticks = [0, 0];
    const loops = ticks.map((_, i) =>
      startMonitorLoop({
        prisma: db.prisma,
        name: "two-processes",
        everyMs: 200,
        tick: async () => {
          ticks[i]!++;
        },
        onError: (e) => {
          throw e;
        },
      }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const [a, b] = ticks as [number, number];
    expect(Math.min(a, b)).toBe(0);
    expect(Math.max(a, b)).toBeGreaterThanOrEqual(5);
    const leader = a > 0 ? 0 : 1;
    await loops[leader]!.stop();
    const before = ticks[1 - leader]!;
    await new Promise((r) => setTimeout(r, 1000));
    expect(ticks[1 - leader]! - before).toBeGreaterThanOrEqual(3);
    await loops[1 - leader]!.stop();
  }, 30_000);
});
