/**
 * The demo team's first runs (issue 12 item 7), through the real boot of a web process on a real database:
 * the first start queues a Qwen vs Llama analysis comparison and a BuPO/GRPO pair, tagged `demo`, created by
 * the demo user, with configs the shared schema accepts, and enqueued with the real scheduler; a second start
 * on the same database creates nothing, and without BUPO_DEMO_RUNS only the demo team is seeded.
 */
import { createServer } from "node:http";
import { DEMO_LOGIN, DEMO_TEAM } from "@bupo/db";
import { openTestDatabase } from "@bupo/db/testing";
import { DEMO_NAME_PREFIX, DEMO_RUN_TAG } from "@bupo/shared/demo-runs";
import { RunConfigSchema } from "@bupo/shared/run-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "../src/env.ts";
import { bootWebProcess } from "../src/server/boot.ts";

let db: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.drop());

/** Boots a web process (no trainer: queued runs wait) and closes it again. */
async function start(demoRuns: boolean) {
  const server = createServer();
  const web = await bootWebProcess(server, db, {
    ...env,
    BUPO_SEED_DEMO: true,
    BUPO_DEMO_RUNS: demoRuns,
    TRAINER_URLS: [],
    LOG_LEVEL: "silent",
  });
  await web.close();
  server.close();
}

const demoRuns = () =>
  db.prisma.run.findMany({
    where: { team: { name: DEMO_TEAM } },
    select: {
      name: true,
      kind: true,
      algorithm: true,
      modelFamily: true,
      status: true,
      tags: true,
      config: true,
      creator: { select: { email: true } },
    },
    orderBy: { name: "asc" },
  });

describe("demo runs on first start", () => {
  it("without BUPO_DEMO_RUNS the demo team is seeded with no runs", { timeout: 60_000 }, async () => {
    await start(false);
    expect(await db.prisma.team.count({ where: { name: DEMO_TEAM } })).toBe(1);
    expect(await demoRuns()).toEqual([]);
  });

  it("queues the analysis comparison and the BuPO/GRPO pair once", { timeout: 60_000 }, async () => {
    await start(true);
    const runs = await demoRuns();
    expect(
      runs.map((r) => [r.kind, r.kind === "TRAIN" ? r.algorithm : null, r.modelFamily, r.status]),
    ).toEqual([
      ["TRAIN", "BUPO", "QWEN3", "QUEUED"],
      ["TRAIN", "GRPO", "QWEN3", "QUEUED"],
      ["ANALYSIS", null, "LLAMA", "QUEUED"],
      ["ANALYSIS", null, "QWEN3", "QUEUED"],
    ]);
    for (const run of runs) {
      expect(run.name.startsWith(DEMO_NAME_PREFIX)).toBe(true);
      expect(run.tags).toContain(DEMO_RUN_TAG);
      expect(run.creator.email).toBe(DEMO_LOGIN.email);
      expect(RunConfigSchema.parse(run.config)).toEqual(run.config);
    }
    // The analysis pair: same task, samples, seed and lens, one comparison; the training pair differs only
    // in the algorithm.
    const configs = runs.map((r) => RunConfigSchema.parse(r.config));
    const [bupo, grpo, llama, qwen] = configs;
    const { model: _q, name: _qn, ...qwenRest } = qwen!;
    const { model: _l, name: _ln, ...llamaRest } = llama!;
    expect(qwenRest).toEqual(llamaRest);
    expect(qwen!.tags.some((t) => t.startsWith("compare:"))).toBe(true);
    expect({ ...bupo, algorithm: "grpo", name: "" }).toEqual({ ...grpo, name: "" });
    expect(bupo!.rl.totalSteps).toBeLessThanOrEqual(40);

    // pg-boss holds one dispatch job per demo run, as for a user launch.
    const [{ jobs }] = await db.prisma.$queryRawUnsafe<[{ jobs: bigint }]>(
      `SELECT count(*) AS jobs FROM pgboss.job WHERE name = 'run-dispatch'`,
    );
    expect(Number(jobs)).toBeGreaterThanOrEqual(4);

    await start(true);
    expect(await demoRuns()).toHaveLength(4);
  });
});
