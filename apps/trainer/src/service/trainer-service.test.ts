import { describe, expect, it } from "vitest";
import { readTrainerEnv } from "../env.ts";
import { startTrainerService } from "./trainer-service.ts";

describe("trainer service skeleton", () => {
  it("answers /health over real HTTP and shuts down gracefully", async () => {
    const service = await startTrainerService(readTrainerEnv({ TRAINER_PORT: "0", LOG_LEVEL: "fatal" }));
    const res = await fetch(`${service.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", slots: 1, runningJobs: 0 });
    expect((await fetch(`${service.url}/nope`)).status).toBe(404);
    await service.shutdown("test");
    await service.shutdown("again"); // idempotent
    await expect(fetch(`${service.url}/health`)).rejects.toThrow();
  });

  it("rejects a bad environment with a message naming the variable and its range", () => {
    expect(() => readTrainerEnv({ TRAINER_SLOTS: "0" })).toThrow(/TRAINER_SLOTS/);
    expect(() => readTrainerEnv({ TRAINER_TOKEN: "short" })).toThrow(/TRAINER_TOKEN must be at least 16/);
  });
});
