import { openTestDatabase } from "@bupo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./clients.ts";
import { newToken, tempDir, tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { freePort, hasPostgres, type Proc, postgresUrl, startTrainer, startWeb } from "./processes.ts";

// A trainer SIGKILLed mid-run and started again at once answers heartbeats again, but no longer runs the
// attempt: the run must not stay RUNNING. Its heartbeats list what it runs, so once it is back the run fails
// with a reason within the heartbeat timeout (checkpoints are not on shared storage here: no resume). The
// timeout is longer than the restart takes, so the trainer never looks silent.
const TIMEOUT_S = 30;
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let web: Proc;
let trainer: Proc;
const token = newToken();
const dataDir = tempDir("trainer");
let port: number;

const restartTrainer = () => startTrainer({ webUrl: web.url, token, port, dataDir });

beforeAll(async () => {
  if (!hasPostgres) return;
  db = await openTestDatabase();
  port = await freePort();
  web = await startWeb({
    databaseUrl: postgresUrl(db.target),
    trainerUrls: [`http://127.0.0.1:${port}`],
    token,
    heartbeatTimeoutSeconds: TIMEOUT_S,
  });
  trainer = await restartTrainer();
}, 120_000);

afterAll(async () => {
  await trainer?.stop();
  await web?.stop();
  await db?.drop();
});

describe.skipIf(!hasPostgres)("trainer restarted quickly mid-run", () => {
  it("fails the run it no longer runs, with the reason, within the heartbeat timeout", async () => {
    const user = await userWithTeam(web.url);
    const run = await user.client.run.create.mutate({
      teamId: user.team.id,
      config: tinyRunConfig({ totalSteps: 100 }),
    });
    await waitFor(
      "run past step 2",
      async () => (await db.prisma.run.findUniqueOrThrow({ where: { id: run.id } })).lastStep >= 2,
      90_000,
    );
    await trainer.stop("SIGKILL");
    const killedAt = Date.now();
    trainer = await restartTrainer();
    const backAt = Date.now();

    const failed = await waitFor(
      "run to fail",
      async () => {
        const r = await db.prisma.run.findUniqueOrThrow({ where: { id: run.id } });
        return r.status !== "RUNNING" ? r : undefined;
      },
      TIMEOUT_S * 1000 + 10_000,
    );
    const failedIn = failed.finishedAt!.getTime() - backAt;
    console.log(`trainer back ${backAt - killedAt} ms after the kill; the run failed ${failedIn} ms later`);
    expect(failed.status).toBe("FAILED");
    expect(failed.errorMessage).toMatch(
      /no longer runs this attempt \(it restarted or dropped the job\) at step \d+; the run cannot resume/,
    );
    expect(failedIn).toBeLessThan(TIMEOUT_S * 1000);
    expect(await user.client.run.get.query({ runId: run.id })).toMatchObject({ status: "failed" });
  }, 180_000);
});
