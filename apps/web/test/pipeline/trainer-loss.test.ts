import { openTestDatabase } from "@bupo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunWatcher, waitFor } from "./clients.ts";
import { newToken, tempDir, tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { freePort, hasPostgres, type Proc, postgresUrl, startTrainer, startWeb } from "./processes.ts";

// Without shared checkpoint storage a lost trainer's run cannot resume: it fails with a clear reason.
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let web: Proc;
let trainer: Proc;
const token = newToken();

beforeAll(async () => {
  if (!hasPostgres) return;
  db = await openTestDatabase();
  const port = await freePort();
  web = await startWeb({
    databaseUrl: postgresUrl(db.target),
    trainerUrls: [`http://127.0.0.1:${port}`],
    token,
    heartbeatTimeoutSeconds: 3,
  });
  trainer = await startTrainer({ webUrl: web.url, token, port, dataDir: tempDir("trainer") });
}, 120_000);

afterAll(async () => {
  await trainer?.stop();
  await web?.stop();
  await db?.drop();
});

describe.skipIf(!hasPostgres)("trainer lost without shared storage", () => {
  it("marks its run failed with the reason, and tells watching browsers", async () => {
    const user = await userWithTeam(web.url);
    const run = await user.client.run.create.mutate({
      teamId: user.team.id,
      config: tinyRunConfig({ totalSteps: 40 }),
    });
    const watcher = new RunWatcher(web.url, user.jar.cookie, run.id);
    try {
      await waitFor(
        "run past step 1",
        async () => (await db.prisma.run.findUnique({ where: { id: run.id } }))!.lastStep >= 1,
        90_000,
      );
      await trainer.stop("SIGKILL");
      const failed = await waitFor(
        "run to fail",
        async () => {
          const r = await user.client.run.get.query({ runId: run.id });
          return r.status === "failed" ? r : undefined;
        },
        30_000,
      );
      expect(failed.errorMessage).toMatch(/stopped answering \(no heartbeat for 3 s\) at step \d+/);
      await waitFor("browser to hear of it", () => watcher.statuses.some((s) => s.status === "failed"), 5000);
    } finally {
      watcher.close();
    }
  }, 180_000);
});
