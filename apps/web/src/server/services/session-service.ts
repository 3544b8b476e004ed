import type { PrismaClient } from "@bupo/db/client";
import { hashToken, newSecretToken } from "../auth/tokens.ts";
import { notFound } from "../errors.ts";
import type { LiveSockets } from "../realtime/live-sockets.ts";

export interface RequestMeta {
  ip: string;
  userAgent?: string;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  activeTeamId: string | null;
}

export interface CurrentSession {
  sessionId: string;
  expiresAt: Date;
  user: SessionUser;
}

const DAY_MS = 86_400_000;

/** Creates a server-side session and returns the cookie secret (stored only as its hash). */
export async function createSession(
  prisma: PrismaClient,
  userId: string,
  meta: RequestMeta,
  ttlDays: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecretToken();
  const expiresAt = new Date(Date.now() + ttlDays * DAY_MS);
  await prisma.session.create({
    data: {
      userId,
      tokenHash: hashToken(token),
      expiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300),
    },
  });
  return { token, expiresAt };
}

/** The live session for a cookie secret, or null when unknown, expired or revoked. */
export async function findSession(
  prisma: PrismaClient,
  token: string | undefined,
): Promise<CurrentSession | null> {
  if (!token || token.length > 200) return null;
  const session = await prisma.session.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, email: true, name: true, activeTeamId: true } } },
  });
  if (!session || session.revokedAt || session.expiresAt <= new Date()) return null;
  return { sessionId: session.id, expiresAt: session.expiresAt, user: session.user };
}

/** Ends one of the user's sessions (sign-out, or from another device); its live sockets are disconnected. */
export async function revokeSession(
  prisma: PrismaClient,
  sockets: LiveSockets | undefined,
  userId: string,
  sessionId: string,
): Promise<void> {
  const r = await prisma.session.updateMany({
    where: { id: sessionId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (r.count === 0) throw notFound("Session");
  sockets?.endSession(sessionId);
}

export function listSessions(prisma: PrismaClient, userId: string) {
  return prisma.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, createdAt: true, expiresAt: true, ip: true, userAgent: true },
    orderBy: { createdAt: "desc" },
  });
}
