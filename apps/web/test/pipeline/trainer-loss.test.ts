import { describe, expect, it } from "vitest";
import { RunWatcher, waitFor } from "./clients.ts";
import { tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { hasPostgres } from "./processes.ts";
import { webAndTrainerPerFile } from "./stack.ts";

// Without shared checkpoint storage a lost trainer's run cannot resume: it fails with a clear reason.
// (The timeout must outlast the longest pause of a busy trainer's event loop, several seconds on a loaded
// machine: the monitor really checks every second.)

const stack = webAndTrainerPerFile({ heartbeatTimeoutSeconds: 10 });

describe.skipIf(!hasPostgres)("trainer lost without shared storage", () => {
  it("marks its run failed with the reason, and tells watching browsers", async () => {
    const user = await userWithTeam(stack.web.url);
    const run = await user.client.run.create.mutate({
      teamId: user.team.id,
      config: tinyRunConfig({ totalSteps: 40 }),
    });
    const watcher = new RunWatcher(stack.web.url, user.jar.cookie, run.id);
    try {
      await waitFor(
        "run past step 1",
        async () => (await stack.db.prisma.run.findUnique({ where: { id: run.id } }))!.lastStep >= 1,
        90_000,
      );
      await stack.trainer.stop("SIGKILL");
      const failed = await waitFor(
        "run to fail",
        async () => {
          const r = await user.client.run.get.query({ runId: run.id });
          return r.status === "failed" ? r : undefined;
        },
        30_000,
      );
      expect(failed.errorMessage).toMatch(/stopped answering \(no heartbeat for 10 s\) at step \d+/);
      await waitFor("browser to hear of it", () => watcher.statuses.some((s) => s.status === "failed"), 5000);
    } finally {
      watcher.close();
    }
  }, 180_000);
});
