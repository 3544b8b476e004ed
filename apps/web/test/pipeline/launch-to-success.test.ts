import { describe, expect, it } from "vitest";
import { RunWatcher, waitFor } from "./clients.ts";
import { tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { hasPostgres } from "./processes.ts";
import { webAndTrainerPerFile } from "./stack.ts";

const stack = webAndTrainerPerFile();

describe.skipIf(!hasPostgres)("launch → queued → running → succeeded", () => {
  it("stores every step and streams it live to a socket client", async () => {
    const user = await userWithTeam(stack.web.url);
    const run = await user.client.run.create.mutate({
      teamId: user.team.id,
      config: tinyRunConfig({ totalSteps: 4 }),
    });
    expect(run.status).toBe("queued");
    const watcher = new RunWatcher(stack.web.url, user.jar.cookie, run.id);
    try {
      await waitFor(
        "run to succeed",
        async () => {
          const r = await user.client.run.get.query({ runId: run.id });
          if (r.status === "failed")
            throw new Error(`run failed: ${r.errorMessage}\n${stack.trainer.output()}`);
          return r.status === "succeeded";
        },
        120_000,
      );
      const stored = await stack.db.prisma.runMetric.findMany({
        where: { runId: run.id },
        orderBy: { step: "asc" },
      });
      expect(stored.map((m) => m.step)).toEqual([1, 2, 3, 4]);
      expect(stored[1]!.layerEntropy.length).toBe(5); // L + 1 entries on entropy steps (tiny: L = 4)
      await waitFor("socket client to hold all steps", () => watcher.steps.size === 4, 10_000);
      expect([...watcher.steps.keys()].sort()).toEqual([1, 2, 3, 4]);
      expect(watcher.statuses.map((s) => s.status)).toContain("succeeded");
      const row = await stack.db.prisma.run.findUniqueOrThrow({ where: { id: run.id } });
      expect(row.startedAt).not.toBeNull();
      expect(row.finishedAt).not.toBeNull();
      expect(row.lastStep).toBe(4);
      expect(row.lastCheckpointStep).toBe(4);
    } finally {
      watcher.close();
    }
  }, 180_000);
});
