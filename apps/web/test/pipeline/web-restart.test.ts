import fs from "node:fs";
import path from "node:path";
import { openTestDatabase } from "@bupo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunWatcher, waitFor } from "./clients.ts";
import { newToken, tempDir, tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { freePort, hasPostgres, type Proc, postgresUrl, startTrainer, startWeb } from "./processes.ts";

// The web process restarts mid-run: the trainer buffers its reports and replays them; nothing is lost or
// stored twice (checked against the trainer's own metrics JSONL); the browser reconnects and backfills.
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let web: Proc;
let trainer: Proc;
let webPort: number;
let trainerPort: number;
const token = newToken();
const runsDir = tempDir("runs");
const STEPS = 14;

const webOptions = () => ({
  databaseUrl: postgresUrl(db.target),
  trainerUrls: [`http://127.0.0.1:${trainerPort}`],
  token,
  port: webPort,
  heartbeatTimeoutSeconds: 30,
});

beforeAll(async () => {
  if (!hasPostgres) return;
  db = await openTestDatabase();
  [webPort, trainerPort] = [await freePort(), await freePort()];
  web = await startWeb(webOptions());
  trainer = await startTrainer({
    webUrl: web.url,
    token,
    port: trainerPort,
    runsDir,
    dataDir: tempDir("trainer"),
  });
}, 120_000);

afterAll(async () => {
  await trainer?.stop();
  await web?.stop();
  await db?.drop();
});

describe.skipIf(!hasPostgres)("web restart mid-run", () => {
  it("loses and duplicates nothing; the browser reconnects and backfills", async () => {
    const user = await userWithTeam(web.url);
    const run = await user.client.run.create.mutate({
      teamId: user.team.id,
      config: tinyRunConfig({ totalSteps: STEPS }),
    });
    const watcher = new RunWatcher(web.url, user.jar.cookie, run.id);
    try {
      await waitFor("a few live steps", () => watcher.lastStep >= 2, 90_000);
      await web.stop("SIGKILL");
      const stepAtCrash = watcher.lastStep;
      // The trainer keeps training meanwhile; its reports wait in the outbox.
      await waitFor(
        "training to go on while web is down",
        () => {
          const file = path.join(runsDir, run.id, "metrics.jsonl");
          const steps = fs.existsSync(file)
            ? fs
                .readFileSync(file, "utf8")
                .split("\n")
                .filter((l) => l.includes('"type":"step"')).length
            : 0;
          return steps >= stepAtCrash + 2;
        },
        60_000,
      );
      expect(trainer.output()).toMatch(/disconnected from web; buffering|cannot reach web; buffering/);
      web = await startWeb(webOptions());

      await waitFor(
        "run to succeed",
        async () => {
          const r = await db.prisma.run.findUniqueOrThrow({ where: { id: run.id } });
          if (r.status === "FAILED") throw new Error(`run failed: ${r.errorMessage}`);
          return r.status === "SUCCEEDED";
        },
        120_000,
      );

      const jsonl = fs
        .readFileSync(path.join(runsDir, run.id, "metrics.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; step: number; "actor/pg_loss"?: number })
        .filter((r) => r.type === "step");
      const stored = await db.prisma.runMetric.findMany({
        where: { runId: run.id },
        orderBy: { step: "asc" },
      });
      expect(stored.map((m) => m.step)).toEqual(jsonl.map((r) => r.step));
      expect(stored.map((m) => m.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
      for (const [i, row] of stored.entries()) {
        expect((row.scalars as Record<string, number>)["actor/pg_loss"]).toBe(jsonl[i]!["actor/pg_loss"]);
      }
      await waitFor("browser to backfill every step", () => watcher.steps.size === STEPS, 20_000);
      expect([...watcher.steps.keys()].sort((a, b) => a - b)).toEqual(stored.map((m) => m.step));
    } finally {
      watcher.close();
    }
  }, 300_000);
});
