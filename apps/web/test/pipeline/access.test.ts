import { TRAINER_NAMESPACE } from "@bupo/shared/trainer-protocol";
import { io } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { createTrainerClient } from "../../src/server/scheduler/trainer-directory.ts";
import { RunWatcher, waitFor } from "./clients.ts";
import { tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { hasPostgres } from "./processes.ts";
import { webAndTrainerPerFile } from "./stack.ts";

const stack = webAndTrainerPerFile();

function trainerSocket(auth: { trainerId: string; token?: string }) {
  return io(`${stack.web.url}${TRAINER_NAMESPACE}`, { auth, transports: ["websocket"], reconnection: false });
}

describe.skipIf(!hasPostgres)("access control on the live pipeline", () => {
  it("keeps another team out of a run's room and its tRPC reads", async () => {
    const owner = await userWithTeam(stack.web.url);
    const run = await owner.client.run.create.mutate({
      teamId: owner.team.id,
      config: tinyRunConfig({ totalSteps: 2 }),
    });
    const stranger = await userWithTeam(stack.web.url);
    const watcher = new RunWatcher(stack.web.url, stranger.jar.cookie, run.id);
    try {
      await waitFor("socket connection", () => watcher.socket.connected, 10_000);
      const ack = await watcher.join();
      expect(ack).toEqual({ ok: false, error: { code: "NOT_FOUND", message: "Run not found" } });
      await expect(stranger.client.run.get.query({ runId: run.id })).rejects.toMatchObject({
        data: { code: "NOT_FOUND" },
      });
      await expect(stranger.client.run.cancel.mutate({ runId: run.id })).rejects.toMatchObject({
        data: { code: "NOT_FOUND" },
      });
      await waitFor(
        "run to finish",
        async () => (await owner.client.run.get.query({ runId: run.id })).status === "succeeded",
        90_000,
      );
      expect(watcher.steps.size).toBe(0); // nothing leaked to the stranger's socket
    } finally {
      watcher.close();
    }
  }, 150_000);

  it("refuses browser sockets without a session", async () => {
    const s = io(stack.web.url, { transports: ["websocket"], reconnection: false });
    const err = await new Promise<Error>((resolve) => s.on("connect_error", resolve));
    expect(err.message).toMatch(/UNAUTHORIZED/);
    s.close();
  });

  it("refuses trainer connections and trainer calls without or with a wrong token", async () => {
    for (const auth of [
      { trainerId: stack.trainer.url },
      { trainerId: stack.trainer.url, token: "wrong-token-0123456789abcd" },
    ]) {
      const s = trainerSocket(auth);
      const err = await new Promise<Error>((resolve) => s.on("connect_error", resolve));
      expect(err.message).toMatch(/UNAUTHORIZED/);
      s.close();
    }
    await expect(
      createTrainerClient(stack.trainer.url, "wrong-token-0123456789abcd").capabilities.query(),
    ).rejects.toMatchObject({
      data: { code: "UNAUTHORIZED" },
    });
  });

  // Trainers are enrolled by the web under their own credential (trainer-identity.test.ts covers posing as the
  // real trainer and invalid events from it; ingest.test.ts covers reports about runs of another trainer).
  it("refuses a made-up trainer at the handshake: nothing it sends is stored and no trainer row appears", async () => {
    const owner = await userWithTeam(stack.web.url);
    const run = await owner.client.run.create.mutate({
      teamId: owner.team.id,
      config: tinyRunConfig({ totalSteps: 2 }),
    });
    await waitFor(
      "run to finish",
      async () => (await owner.client.run.get.query({ runId: run.id })).status === "succeeded",
      90_000,
    );
    const before = await stack.db.prisma.runMetric.count();
    const s = trainerSocket({ token: stack.token, trainerId: "http://127.0.0.1:1" });
    const outcome = await new Promise<string>((resolve) => {
      s.on("connect", () => resolve("connected"));
      s.on("connect_error", (e) => resolve(e.message));
    });
    s.emit("trainer:report", {
      events: [
        {
          type: "log",
          runId: run.id,
          attempt: 1,
          seq: 99,
          at: new Date().toISOString(),
          level: "info",
          message: "spoofed",
        },
      ],
    });
    s.close();
    expect(outcome).toMatch(/^UNAUTHORIZED/);
    expect(await stack.db.prisma.runMetric.count()).toBe(before);
    expect(await stack.db.prisma.runLog.count({ where: { message: "spoofed" } })).toBe(0);
    expect(await stack.db.prisma.trainer.count({ where: { id: "http://127.0.0.1:1" } })).toBe(0);
  }, 150_000);
});
