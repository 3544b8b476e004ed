/**
 * The usual pipeline-test stack: a fresh database, the production web server and one trainer reporting to it,
 * started before the file's tests and stopped after. Fields are filled by the time the tests run.
 */
import { openTestDatabase } from "@bupo/db/testing";
import { afterAll, beforeAll } from "vitest";
import { newToken, tempDir } from "./fixtures.ts";
import {
  freePort,
  hasPostgres,
  type Proc,
  postgresUrl,
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
