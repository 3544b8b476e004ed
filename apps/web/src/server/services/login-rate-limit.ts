import type { PrismaClient } from "@bupo/db/client";
import { AppError } from "../errors.ts";

export interface LoginLimits {
  windowMinutes: number;
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
}

// Advisory-lock namespaces (the first key of pg_advisory_xact_lock(int, int)): accounts and IPs never collide.
const ACCOUNT_LOCKS = 1;
const IP_LOCKS = 2;

/**
 * Sliding-window limit on failed sign-ins, per account and per client IP, kept in the database so that
 * several web processes share it, and atomic: the attempt is reserved — stored as a failure — before the
 * password is checked. Transaction-scoped advisory locks on the account and the IP (taken in that order, so
 * never a deadlock) serialize attempts for the same key; the insert, a later statement, sees every earlier
 * reservation and only happens while both counts are under their limits. So at most the limit reach the
 * password check; the rest get TOO_MANY_REQUESTS. Two short statements hold the locks. Returns the reserved
 * attempt's id (see `markLoginSucceeded`).
 */
export async function reserveLoginAttempt(
  prisma: PrismaClient,
  email: string,
  ip: string,
  limits: LoginLimits,
): Promise<bigint> {
  const since = new Date(Date.now() - limits.windowMinutes * 60_000);
  const reserved = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ACCOUNT_LOCKS}::int, hashtext(${email})),
                                  pg_advisory_xact_lock(${IP_LOCKS}::int, hashtext(${ip}))`;
      return tx.$queryRaw<{ id: bigint }[]>`
        INSERT INTO "LoginAttempt" (email, ip, success)
        SELECT ${email}, ${ip}, false
        WHERE (SELECT count(*) FROM "LoginAttempt"
               WHERE email = ${email} AND NOT success AND "createdAt" > ${since}) < ${limits.maxFailuresPerAccount}
          AND (SELECT count(*) FROM "LoginAttempt"
               WHERE ip = ${ip} AND NOT success AND "createdAt" > ${since}) < ${limits.maxFailuresPerIp}
        RETURNING id`;
    },
    // Attempts for one key queue on its lock; a burst must not time out waiting for a connection.
    { maxWait: 15_000, timeout: 15_000 },
  );
  if (!reserved[0]) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `Too many failed sign-ins. Wait ${limits.windowMinutes} minutes and try again.`,
    );
  }
  return reserved[0].id;
}

/** The reserved attempt turned out right: it no longer counts as a failure. */
export async function markLoginSucceeded(prisma: PrismaClient, attemptId: bigint): Promise<void> {
  await prisma.loginAttempt.update({ where: { id: attemptId }, data: { success: true } });
}
