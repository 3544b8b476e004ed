import type { PrismaClient, TeamRole } from "@bupo/db/client";
import { hashToken, newSecretToken } from "../auth/tokens.ts";
import { AppError, forbidden, notFound } from "../errors.ts";
import type { TeamAccess } from "./membership-service.ts";

export const invitationPath = (token: string) => `/invite/${token}`;

/** An expiring, single-use invitation link. Only admins invite; only owners invite owners. */
export async function createInvitation(
  prisma: PrismaClient,
  actor: TeamAccess,
  role: TeamRole,
  ttlHours: number,
) {
  if (role === "OWNER" && actor.role !== "OWNER") throw forbidden("Only an owner can invite another owner.");
  const token = newSecretToken();
  const invitation = await prisma.invitation.create({
    data: {
      teamId: actor.teamId,
      role,
      createdById: actor.userId,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + ttlHours * 3_600_000),
    },
    select: { id: true, role: true, expiresAt: true },
  });
  return { ...invitation, token, path: invitationPath(token) };
}

type InvitationState = "pending" | "accepted" | "revoked" | "expired";
function stateOf(inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }): InvitationState {
  if (inv.acceptedAt) return "accepted";
  if (inv.revokedAt) return "revoked";
  return inv.expiresAt <= new Date() ? "expired" : "pending";
}

export async function listInvitations(prisma: PrismaClient, access: TeamAccess) {
  const rows = await prisma.invitation.findMany({
    where: { teamId: access.teamId },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: {
      id: true,
      role: true,
      createdAt: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      createdBy: { select: { name: true } },
      acceptedBy: { select: { name: true, email: true } },
    },
  });
  return rows.map((r) => ({ ...r, state: stateOf(r) }));
}

export async function revokeInvitation(prisma: PrismaClient, access: TeamAccess, invitationId: string) {
  const r = await prisma.invitation.updateMany({
    where: { id: invitationId, teamId: access.teamId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (r.count === 0) throw notFound("Pending invitation");
}

const UNUSABLE: Record<Exclude<InvitationState, "pending">, string> = {
  accepted: "This invitation link has already been used. Ask a team admin for a new one.",
  revoked: "This invitation link was revoked. Ask a team admin for a new one.",
  expired: "This invitation link has expired. Ask a team admin for a new one.",
};

/** What an invitation link offers (team name and role), for the page shown before joining. */
export async function previewInvitation(prisma: PrismaClient, token: string) {
  const inv = await prisma.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      team: { select: { name: true } },
    },
  });
  if (!inv) throw notFound("Invitation");
  const state = stateOf(inv);
  return {
    teamName: inv.team.name,
    role: inv.role,
    expiresAt: inv.expiresAt,
    state,
    problem: state === "pending" ? null : UNUSABLE[state],
  };
}

/** Joins the team of an invitation. Single use is enforced atomically: one conditional update wins. */
export async function acceptInvitation(prisma: PrismaClient, userId: string, token: string) {
  return prisma.$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { tokenHash: hashToken(token) } });
    if (!inv) throw notFound("Invitation");
    const state = stateOf(inv);
    if (state !== "pending") throw new AppError("BAD_REQUEST", UNUSABLE[state]);
    const existing = await tx.membership.findUnique({
      where: { teamId_userId: { teamId: inv.teamId, userId } },
    });
    if (existing) throw new AppError("CONFLICT", "You are already a member of this team.");
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { acceptedAt: new Date(), acceptedById: userId },
    });
    if (claimed.count !== 1) throw new AppError("BAD_REQUEST", UNUSABLE.accepted);
    await tx.membership.create({ data: { teamId: inv.teamId, userId, role: inv.role } });
    await tx.user.update({ where: { id: userId }, data: { activeTeamId: inv.teamId } });
    return { teamId: inv.teamId, role: inv.role };
  });
}
