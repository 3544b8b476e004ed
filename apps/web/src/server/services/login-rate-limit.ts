import type { PrismaClient } from "@bupo/db/client";
import { AppError } from "../errors.ts";

export interface LoginLimits {
  windowMinutes: number;
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
}

/**
 * Sliding-window limit on failed sign-ins, per account and per client IP, kept in the database so that
 * several web processes share it. Throws TOO_MANY_REQUESTS before the password is even checked.
 */
export async function assertLoginAllowed(
  prisma: PrismaClient,
  email: string,
  ip: string,
  limits: LoginLimits,
): Promise<void> {
  const since = new Date(Date.now() - limits.windowMinutes * 60_000);
  const [byAccount, byIp] = await Promise.all([
    prisma.loginAttempt.count({ where: { email, success: false, createdAt: { gt: since } } }),
    prisma.loginAttempt.count({ where: { ip, success: false, createdAt: { gt: since } } }),
  ]);
  if (byAccount >= limits.maxFailuresPerAccount || byIp >= limits.maxFailuresPerIp) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `Too many failed sign-ins. Wait ${limits.windowMinutes} minutes and try again.`,
    );
  }
}

export async function recordLoginAttempt(
  prisma: PrismaClient,
  email: string,
  ip: string,
  success: boolean,
): Promise<void> {
  await prisma.loginAttempt.create({ data: { email, ip, success } });
}
