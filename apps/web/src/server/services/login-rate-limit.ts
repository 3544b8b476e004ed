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
 * password is checked, under transaction-scoped advisory locks on the account and the IP (always taken in
 * that order). Parallel attempts queue on the locks and each counts the reservations before it, so at most
 * the limit reach the password check; the rest get TOO_MANY_REQUESTS. Returns the reserved attempt's id
 * (see `markLoginSucceeded`).
 */
export async function reserveLoginAttempt(
  prisma: PrismaClient,
  email: string,
  ip: string,
  limits: LoginLimits,
): Promise<bigint> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ACCOUNT_LOCKS}::int, hashtext(${email}))`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${IP_LOCKS}::int, hashtext(${ip}))`;
    const since = new Date(Date.now() - limits.windowMinutes * 60_000);
    const byAccount = await tx.loginAttempt.count({
      where: { email, success: false, createdAt: { gt: since } },
    });
    const byIp = await tx.loginAttempt.count({ where: { ip, success: false, createdAt: { gt: since } } });
    if (byAccount >= limits.maxFailuresPerAccount || byIp >= limits.maxFailuresPerIp) {
      throw new AppError(
        "TOO_MANY_REQUESTS",
        `Too many failed sign-ins. Wait ${limits.windowMinutes} minutes and try again.`,
      );
    }
    const attempt = await tx.loginAttempt.create({
      data: { email, ip, success: false },
      select: { id: true },
    });
    return attempt.id;
  });
}

/** The reserved attempt turned out right: it no longer counts as a failure. */
export async function markLoginSucceeded(prisma: PrismaClient, attemptId: bigint): Promise<void> {
  await prisma.loginAttempt.update({ where: { id: attemptId }, data: { success: true } });
}
