import { openTestDatabase } from "@bupo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./clients.ts";
import { newToken, tempDir, tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { freePort, hasPostgres, type Proc, postgresUrl, startTrainer, startWeb } from "./processes.ts";

// Two trainers share run folders (shared storage), so a run of a trainer that dies resumes on the other.
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let web: Proc;
let trainers: Proc[] = [];
const token = newToken();
const STEPS = 6;

beforeAll(async () => {
  if (!hasPostgres) return;
  db = await openTestDatabase();
  const ports = [await freePort(), await freePort()];
  web = await startWeb({
    databaseUrl: postgresUrl(db.target),
    trainerUrls: ports.map((p) => `http://127.0.0.1:${p}`),
    token,
    heartbeatTimeoutSeconds: 10, // outlasts a busy trainer's event-loop pauses (the monitor checks every second)
    resumeOnTrainerLoss: true,
  });
  const runsDir = tempDir("shared-runs");
  trainers = await Promise.all(
    ports.map((port) => startTrainer({ webUrl: web.url, token, port, runsDir, dataDir: tempDir("trainer") })),
  );
}, 120_000);

afterAll(async () => {
  for (const t of trainers) await t.stop();
  await web?.stop();
  await db?.drop();
});

/** (runId, attempt) pairs a trainer started, read from its structured log. */
function startsOf(p: Proc): string[] {
  return p
    .output()
    .split("\n")
    .filter((l) => l.includes('"msg":"job started"'))
    .map((l) => {
      const j = JSON.parse(l) as { runId: string; attempt: number };
      return `${j.runId}#${j.attempt}`;
    });
}

describe.skipIf(!hasPostgres)("two trainers, five queued runs, one trainer killed", () => {
  it("runs every attempt exactly once and resumes the killed trainer's run on the other", async () => {
    const user = await userWithTeam(web.url);
    const runs: { id: string }[] = [];
    for (let i = 0; i < 5; i++) {
      runs.push(
        await user.client.run.create.mutate({
          teamId: user.team.id,
          config: tinyRunConfig({ totalSteps: STEPS, seed: i + 1 }),
        }),
      );
    }
    const [victim, survivor] = trainers as [Proc, Proc];
    // Kill the first trainer with SIGKILL once one of its runs is past step 2.
    const doomed = await waitFor(
      "a run mid-way on the first trainer",
      async () => {
        const r = await db.prisma.run.findFirst({
          where: { trainerId: victim.url, status: "RUNNING", lastStep: { gte: 2 } },
        });
        return r ?? undefined;
      },
      90_000,
    );
    await victim.stop("SIGKILL");

    await waitFor(
      "all runs to finish",
      async () => {
        const rows = await db.prisma.run.findMany({ where: { id: { in: runs.map((r) => r.id) } } });
        const failed = rows.find((r) => r.status === "FAILED");
        if (failed) throw new Error(`run failed: ${failed.errorMessage}`);
        return rows.every((r) => r.status === "SUCCEEDED");
      },
      150_000,
    );

    const rows = await db.prisma.run.findMany({ where: { id: { in: runs.map((r) => r.id) } } });
    const killed = rows.find((r) => r.id === doomed.id)!;
    expect(killed.attempt).toBe(2);
    expect(killed.trainerId).toBe(survivor.url);
    for (const r of rows.filter((r) => r.id !== doomed.id)) expect(r.attempt).toBe(1);
    for (const r of rows) {
      const steps = await db.prisma.runMetric.findMany({
        where: { runId: r.id },
        select: { step: true },
        orderBy: { step: "asc" },
      });
      expect(steps.map((s) => s.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    }
    // Every (run, attempt) was started by exactly one trainer, exactly once.
    const starts = [...startsOf(victim), ...startsOf(survivor)];
    expect(new Set(starts).size).toBe(starts.length);
    expect(starts.sort()).toEqual(
      rows.flatMap((r) => Array.from({ length: r.attempt }, (_, i) => `${r.id}#${i + 1}`)).sort(),
    );
    expect(startsOf(survivor)).toContain(`${doomed.id}#2`);
    expect(survivor.output()).toContain(`"resumeFrom":"`);
  }, 240_000);
});
