/**
 * The usual pipeline-test stacks: a fresh database, the production web server (or two joined by the Redis
 * adapter) and one trainer reporting to it, started before the file's tests and stopped after. Fields are filled
 * by the time the tests run.
 */
import { openTestDatabase } from "@bupo/db/testing";
import { afterAll, beforeAll } from "vitest";
import { newToken, tempDir } from "./fixtures.ts";
import {
  freePort,
  hasPostgres,
  type Proc,
  postgresUrl,
  REDIS_URL,
  startTrainer,
  startWeb,
  type TrainerOptions,
  type WebOptions,
} from "./processes.ts";

export interface Stack {
  db: Awaited<ReturnType<typeof openTestDatabase>>;
  web: Proc;
  trainer: Proc;
  token: string;
}

export function webAndTrainerPerFile(
  web: Partial<Pick<WebOptions, "heartbeatTimeoutSeconds">> = {},
  trainer: Pick<TrainerOptions, "env"> = {},
): Stack {
  const stack = { token: newToken() } as Stack;
  beforeAll(async () => {
    if (!hasPostgres) return;
    stack.db = await openTestDatabase();
    const port = await freePort();
    stack.web = await startWeb({
      databaseUrl: postgresUrl(stack.db.target),
      trainerUrls: [`http://127.0.0.1:${port}`],
      token: stack.token,
      ...web,
    });
    stack.trainer = await startTrainer({
      webUrl: stack.web.url,
      token: stack.token,
      port,
      dataDir: tempDir("trainer"),
      ...trainer,
    });
  }, 120_000);
  afterAll(async () => {
    await stack.trainer?.stop();
    await stack.web?.stop();
    await stack.db?.drop();
  });
  return stack;
}

export interface FanOutStack {
  webs: [Proc, Proc];
  trainer: Proc;
}

/** Two web processes on one database, fanned out through Redis, and a trainer reporting to the first. Call it
 * inside the describe block it serves (skipped with it when Redis or PostgreSQL is absent). */
export function twoWebsAndTrainer(): FanOutStack {
  const stack = {} as FanOutStack;
  let db: Awaited<ReturnType<typeof openTestDatabase>> | undefined;
  const token = newToken();
  beforeAll(async () => {
    db = await openTestDatabase();
    const port = await freePort();
    const opts = {
      databaseUrl: postgresUrl(db.target),
      trainerUrls: [`http://127.0.0.1:${port}`],
      token,
      redisUrl: REDIS_URL,
    };
    stack.webs = [await startWeb(opts), await startWeb(opts)];
    stack.trainer = await startTrainer({
      webUrl: stack.webs[0].url,
      token,
      port,
      dataDir: tempDir("trainer"),
    });
  }, 120_000);
  afterAll(async () => {
    await stack.trainer?.stop();
    for (const w of stack.webs ?? []) await w.stop();
    await db?.drop();
  });
  return stack;
}
