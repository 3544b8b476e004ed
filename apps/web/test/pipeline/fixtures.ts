import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PrismaClient } from "@bupo/db/client";
import { hashPassword } from "@bupo/db/password";
import type { RunConfigInput } from "@bupo/shared/run-config";
import { hashToken, newSecretToken } from "../../src/server/auth/tokens.ts";
import { httpApi } from "./clients.ts";

/** A run small enough to finish in seconds on one core: tiny model, short warm start, few RL steps. */
export function tinyRunConfig(
  overrides: { totalSteps?: number; seed?: number; algorithm?: "bupo" | "grpo" } = {},
): RunConfigInput {
  const totalSteps = overrides.totalSteps ?? 4;
  return {
    kind: "train",
    algorithm: overrides.algorithm ?? "bupo",
    seed: overrides.seed ?? 7,
    model: { source: "preset", family: "qwen3", preset: "tiny" },
    task: { source: "builtin", name: "addition", difficulty: 1 },
    warmStart: { sftSteps: 3, batchSize: 8 },
    rl: {
      internalLayer: 1,
      iterativeSteps: 1,
      totalSteps,
      promptsPerStep: 2,
      groupSize: 4,
      miniBatches: 2,
      maxResponseTokens: 8,
      maxPromptTokens: 16,
    },
    schedule: {
      evalEvery: 0,
      checkpointEvery: 1,
      entropyEvery: 2,
      logEvery: 1,
      evalPrompts: 4,
      evalSamples: 2,
    },
  };
}

export const newToken = () => randomBytes(24).toString("base64url");
export const tempDir = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `bupo-${name}-`));

/** Signs up a fresh user with a team over real HTTP; returns the API client and cookie. */
export async function userWithTeam(webUrl: string) {
  const api = httpApi(webUrl);
  const email = `pipeline.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
  await api.client.auth.signUp.mutate({ email, password: "pipeline-password", name: "Pipeline" });
  const team = await api.client.team.create.mutate({ name: "Pipeline Lab" });
  return { ...api, team, email };
}

/**
 * A user who owns a team, with a live session, written straight to the database (benchmarks use it to
 * skip the sign-up round trips). Returns the session cookie value.
 */
export async function seedOwnerWithSession(prisma: PrismaClient, ttlHours = 6) {
  const user = await prisma.user.create({
    data: { email: "bench@example.com", name: "Bench", passwordHash: await hashPassword("bench-password") },
  });
  const team = await prisma.team.create({
    data: { name: "Bench", memberships: { create: { userId: user.id, role: "OWNER" } } },
  });
  const session = newSecretToken();
  await prisma.session.create({
    data: {
      userId: user.id,
      tokenHash: hashToken(session),
      expiresAt: new Date(Date.now() + ttlHours * 3_600_000),
    },
  });
  return { user, team, session };
}
