import { Prisma, type PrismaClient } from "@bupo/db/client";
import { hashPassword, verifyPassword } from "@bupo/db/password";
import type { SignInInputSchema, SignUpInputSchema } from "@bupo/shared/auth";
import type { z } from "zod";
import { AppError } from "../errors.ts";
import { type LoginLimits, markLoginSucceeded, reserveLoginAttempt } from "./login-rate-limit.ts";
import { createSession, type RequestMeta } from "./session-service.ts";

export interface AuthConfig extends LoginLimits {
  sessionTtlDays: number;
}

// A real argon2id hash of a random string: verifying against it costs the same as a real account, so
// response time does not tell whether an e-mail is registered.
let dummyHash: Promise<string> | undefined;

export async function signUp(
  prisma: PrismaClient,
  input: z.output<typeof SignUpInputSchema>,
  meta: RequestMeta,
  config: AuthConfig,
) {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await prisma.user.create({ data: { email: input.email, name: input.name, passwordHash } });
    const session = await createSession(prisma, user.id, meta, config.sessionTtlDays);
    return { user: { id: user.id, email: user.email, name: user.name }, session };
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new AppError("CONFLICT", "An account with this email already exists. Log in instead.", "email");
    }
    throw e;
  }
}

export async function signIn(
  prisma: PrismaClient,
  input: z.output<typeof SignInInputSchema>,
  meta: RequestMeta,
  config: AuthConfig,
) {
  // Reserved as a failure before the password is checked: parallel guesses cannot outrun the limit.
  const attemptId = await reserveLoginAttempt(prisma, input.email, meta.ip, config);
  const user = await prisma.user.findUnique({ where: { email: input.email } });
  dummyHash ??= hashPassword(crypto.randomUUID());
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
  if (!user || !ok) throw new AppError("UNAUTHORIZED", "Wrong email or password.");
  await markLoginSucceeded(prisma, attemptId);
  const session = await createSession(prisma, user.id, meta, config.sessionTtlDays);
  return { user: { id: user.id, email: user.email, name: user.name }, session };
}
