/**
 * Share links: a run or a comparison, read-only, by an unguessable token. Only the listed runs are readable
 * through a link, over tRPC and as live updates (a socket joined with the token); nothing else of the team.
 * Revoked and expired links say so, and their live viewers are disconnected.
 */
import type { PrismaClient } from "@bupo/db/client";
import { hashToken, newSecretToken } from "../auth/tokens.ts";
import { AppError, forbidden, notFound } from "../errors.ts";
import type { LiveSockets } from "../realtime/live-sockets.ts";
import type { TeamAccess } from "./membership-service.ts";

export const sharePath = (token: string) => `/share/${token}`;

type ShareState = "active" | "revoked" | "expired";
const stateOf = (l: { revokedAt: Date | null; expiresAt: Date | null }): ShareState =>
  l.revokedAt ? "revoked" : l.expiresAt && l.expiresAt <= new Date() ? "expired" : "active";

export async function createShareLink(
  prisma: PrismaClient,
  access: TeamAccess,
  runIds: string[],
  expiresInHours?: number,
) {
  const unique = [...new Set(runIds)];
  const found = await prisma.run.count({ where: { id: { in: unique }, teamId: access.teamId } });
  if (found !== unique.length) throw notFound("Run");
  const token = newSecretToken();
  const link = await prisma.shareLink.create({
    data: {
      teamId: access.teamId,
      runIds: unique,
      createdById: access.userId,
      tokenHash: hashToken(token),
      expiresAt: expiresInHours ? new Date(Date.now() + expiresInHours * 3_600_000) : null,
    },
    select: { id: true, runIds: true, expiresAt: true, createdAt: true },
  });
  return { ...link, token, path: sharePath(token) };
}

export async function listShareLinks(prisma: PrismaClient, access: TeamAccess) {
  const links = await prisma.shareLink.findMany({
    where: { teamId: access.teamId },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      runIds: true,
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      createdBy: { select: { name: true } },
    },
  });
  const runs = await prisma.run.findMany({
    where: { id: { in: [...new Set(links.flatMap((l) => l.runIds))] }, teamId: access.teamId },
    select: { id: true, name: true },
  });
  const names = new Map(runs.map((r) => [r.id, r.name]));
  return links.map((l) => ({
    ...l,
    state: stateOf(l),
    runs: l.runIds.map((id) => ({ id, name: names.get(id) ?? "(deleted run)" })),
  }));
}

/** Members revoke their own links; admins revoke any link of the team. Its live viewers are disconnected. */
export async function revokeShareLink(
  prisma: PrismaClient,
  sockets: LiveSockets | undefined,
  access: TeamAccess,
  shareId: string,
) {
  const link = await prisma.shareLink.findFirst({ where: { id: shareId, teamId: access.teamId } });
  if (!link) throw notFound("Share link");
  const isAdmin = access.role === "OWNER" || access.role === "ADMIN";
  if (link.createdById !== access.userId && !isAdmin)
    throw forbidden("Only its creator or an admin can revoke this link.");
  await prisma.shareLink.update({
    where: { id: link.id },
    data: { revokedAt: link.revokedAt ?? new Date() },
  });
  sockets?.endShareLink(link.id);
}

const UNUSABLE: Record<Exclude<ShareState, "active">, string> = {
  revoked: "This share link was revoked by its team. Ask them for a new one.",
  expired: "This share link has expired. Ask the team that shared it for a new one.",
};

/** Resolves a token: the shared run ids when active, else the reason it is not. */
export async function resolveShareLink(prisma: PrismaClient, token: string) {
  const link = await prisma.shareLink.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!link) throw notFound("Share link");
  const state = stateOf(link);
  if (state !== "active")
    return { state, problem: UNUSABLE[state], runIds: [] as string[], expiresAt: link.expiresAt };
  return { state, problem: null, runIds: link.runIds, expiresAt: link.expiresAt };
}

/** A run readable through an active share link (no team access; read-only). */
export interface SharedRunAccess {
  runId: string;
}

/** The run, when the token is an active link that includes `runId`; throws otherwise. */
export async function requireSharedRun(
  prisma: PrismaClient,
  token: string,
  runId: string,
): Promise<SharedRunAccess> {
  const link = await resolveShareLink(prisma, token);
  if (link.state !== "active")
    throw new AppError("FORBIDDEN", link.problem ?? "This share link cannot be used.");
  if (!link.runIds.includes(runId)) throw notFound("Run");
  return { runId };
}

/** An active link by token (the socket handshake of a share-link viewer); null when unknown, revoked or expired. */
export async function findActiveShareLink(prisma: PrismaClient, token: string) {
  const link = await prisma.shareLink.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, revokedAt: true, expiresAt: true },
  });
  return link && stateOf(link) === "active" ? { id: link.id, expiresAt: link.expiresAt } : null;
}

/** The link while it is active (not revoked, not expired), by id; null otherwise. */
export async function activeShareLinkById(prisma: PrismaClient, shareId: string) {
  const link = await prisma.shareLink.findUnique({
    where: { id: shareId },
    select: { runIds: true, revokedAt: true, expiresAt: true },
  });
  return link && stateOf(link) === "active" ? link : null;
}

/**
 * Live updates of `runId` for a viewer of link `shareId`: the link must still be active and include the run
 * (checked at each join, so a socket of a revoked or expired link cannot join anything).
 */
export async function requireLinkRun(prisma: PrismaClient, shareId: string, runId: string) {
  const link = await activeShareLinkById(prisma, shareId);
  if (!link) throw new AppError("FORBIDDEN", "This share link was revoked or has expired.");
  if (!link.runIds.includes(runId)) throw notFound("Run");
}
