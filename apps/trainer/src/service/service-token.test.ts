import { defaultRunConfig } from "@bupo/shared/run-config";
import type { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import type { JobManager } from "./job-manager.ts";
import { type TrainerContext, trainerRouter } from "./router.ts";

// The router's check is fail-closed on its own: with no token configured, no request is authorized — not
// even one that sends an empty or missing token (two empty values must never compare equal).
const caller = (token: string | undefined, authorization: string | undefined) =>
  trainerRouter.createCaller({
    token,
    authorization,
    jobs: { running: () => [], start: () => ({ started: true }) } as unknown as JobManager,
    capabilities: () => {
      throw new Error("must not be reached");
    },
    logitLens: async () => {
      throw new Error("must not be reached");
    },
    library: {
      list: () => Promise.reject(new Error("must not be reached")),
      rescan: () => Promise.reject(new Error("must not be reached")),
      previewDataset: () => Promise.reject(new Error("must not be reached")),
    },
    enroll: () => ({ reporting: true }),
  } satisfies TrainerContext);

const code = (p: Promise<unknown>) =>
  p.then(
    () => "answered",
    (e: unknown) => (e as TRPCError).code,
  );

describe("trainer API service token", () => {
  it("authorizes nothing when no token is configured", async () => {
    for (const authorization of [undefined, "", "Bearer ", "Bearer undefined"]) {
      for (const token of [undefined, ""]) {
        const api = caller(token, authorization);
        expect(await code(api.job.list())).toBe("UNAUTHORIZED");
        expect(await code(api.capabilities())).toBe("UNAUTHORIZED");
        expect(await code(api.library.list())).toBe("UNAUTHORIZED");
        expect(await code(api.library.rescan())).toBe("UNAUTHORIZED");
        expect(await code(api.job.start({ runId: "r", attempt: 1, config: defaultRunConfig() }))).toBe(
          "UNAUTHORIZED",
        );
      }
    }
  });

  it("authorizes exactly the configured token", async () => {
    const token = "service-token-0123456789";
    expect(await caller(token, `Bearer ${token}`).job.list()).toEqual([]);
    for (const wrong of [`Bearer ${token}x`, `Bearer ${token.slice(1)}`, token, `Basic ${token}`]) {
      expect(await code(caller(token, wrong).job.list())).toBe("UNAUTHORIZED");
    }
  });
});
