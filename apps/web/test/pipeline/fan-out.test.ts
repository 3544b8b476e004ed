import { describe, expect, it } from "vitest";
import { RunWatcher, waitFor } from "./clients.ts";
import { tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { hasPostgres, REDIS_URL, redisAvailable } from "./processes.ts";
import { twoWebsAndTrainer } from "./stack.ts";

// Two web processes behind one database fan out through the Socket.IO Redis adapter: a browser on each
// receives the same events, whichever process the trainer reports to.
const redisUp = await redisAvailable();

describe.skipIf(!redisUp || !hasPostgres)(
  `two web processes with the Redis adapter (${REDIS_URL}${redisUp ? "" : ": not answering"})`,
  () => {
    const stack = twoWebsAndTrainer();

    it("delivers the same events to a client on each process", async () => {
      const [a, b] = stack.webs;
      const user = await userWithTeam(a.url);
      const run = await user.client.run.create.mutate({
        teamId: user.team.id,
        config: tinyRunConfig({ totalSteps: 5 }),
      });
      // Join before the first step so both clients see the steps live (not by backfill).
      const onA = new RunWatcher(a.url, user.jar.cookie, run.id);
      const onB = new RunWatcher(b.url, user.jar.cookie, run.id);
      try {
        await waitFor("both joined", () => onA.socket.connected && onB.socket.connected, 10_000);
        await waitFor(
          "run to succeed",
          () =>
            onA.statuses.some((s) => s.status === "succeeded") &&
            onB.statuses.some((s) => s.status === "succeeded"),
          120_000,
        );
        await waitFor("all steps on both", () => onA.steps.size === 5 && onB.steps.size === 5, 10_000);
        expect([...onB.steps.values()]).toEqual([...onA.steps.values()]);
        expect(onB.statuses.map((s) => s.status)).toEqual(onA.statuses.map((s) => s.status));
      } finally {
        onA.close();
        onB.close();
      }
    }, 180_000);
  },
);
