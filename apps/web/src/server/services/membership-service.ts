import type { PrismaClient, TeamRole } from "@bupo/db/client";
import { hasRole } from "@bupo/shared/team";
import { AppError, forbidden, notFound } from "../errors.ts";
import type { LiveSockets } from "../realtime/live-sockets.ts";

export interface TeamAccess {
  teamId: string;
  userId: string;
  role: TeamRole;
}

/**
 * The caller's membership of a team with at least `minRole`. A non-member gets NOT_FOUND (a team's
 * existence is not revealed); a member with too low a role gets FORBIDDEN naming the role needed.
 */
export async function requireTeamRole(
  prisma: PrismaClient,
  userId: string,
  teamId: string,
  minRole: TeamRole,
): Promise<TeamAccess> {
  const membership = await prisma.membership.findUnique({ where: { teamId_userId: { teamId, userId } } });
  if (!membership) throw notFound("Team");
  if (!hasRole(membership.role, minRole)) {
    throw forbidden(`This needs the ${minRole} role or higher in this team; you are ${membership.role}.`);
  }
  return { teamId, userId, role: membership.role };
}

async function countOwners(prisma: PrismaClient, teamId: string): Promise<number> {
  return prisma.membership.count({ where: { teamId, role: "OWNER" } });
}

/** Only owners touch owners; nobody removes or demotes the last owner. */
async function assertMayManage(
  prisma: PrismaClient,
  actor: TeamAccess,
  targetRole: TeamRole,
  newRole?: TeamRole,
) {
  if ((targetRole === "OWNER" || newRole === "OWNER") && actor.role !== "OWNER") {
    throw forbidden("Only an owner can grant, change or remove the OWNER role.");
  }
  if (targetRole === "OWNER" && newRole !== "OWNER" && (await countOwners(prisma, actor.teamId)) <= 1) {
    throw new AppError("BAD_REQUEST", "A team needs at least one owner. Make someone else an owner first.");
  }
}

/** Membership changes re-check the member's live sockets in the team's rooms (live-sockets.ts). */
export async function changeMemberRole(
  prisma: PrismaClient,
  sockets: LiveSockets | undefined,
  actor: TeamAccess,
  userId: string,
  role: TeamRole,
) {
  const target = await prisma.membership.findUnique({
    where: { teamId_userId: { teamId: actor.teamId, userId } },
  });
  if (!target) throw notFound("Member");
  await assertMayManage(prisma, actor, target.role, role);
  const changed = await prisma.membership.update({
    where: { id: target.id },
    data: { role },
    select: { userId: true, role: true },
  });
  await sockets?.recheckMembership(userId, actor.teamId);
  return changed;
}

export async function removeMember(
  prisma: PrismaClient,
  sockets: LiveSockets | undefined,
  actor: TeamAccess,
  userId: string,
): Promise<void> {
  if (userId === actor.userId) throw new AppError("BAD_REQUEST", "Use “Leave team” to remove yourself.");
  const target = await prisma.membership.findUnique({
    where: { teamId_userId: { teamId: actor.teamId, userId } },
  });
  if (!target) throw notFound("Member");
  if (target.role === "ADMIN" && actor.role !== "OWNER")
    throw forbidden("Only an owner can remove an admin.");
  await assertMayManage(prisma, actor, target.role);
  await prisma.$transaction([
    prisma.membership.delete({ where: { id: target.id } }),
    prisma.user.updateMany({
      where: { id: userId, activeTeamId: actor.teamId },
      data: { activeTeamId: null },
    }),
  ]);
  await sockets?.recheckMembership(userId, actor.teamId);
}

export async function leaveTeam(
  prisma: PrismaClient,
  sockets: LiveSockets | undefined,
  access: TeamAccess,
): Promise<void> {
  if (access.role === "OWNER" && (await countOwners(prisma, access.teamId)) <= 1) {
    throw new AppError("BAD_REQUEST", "You are the last owner. Make someone else an owner before leaving.");
  }
  await prisma.$transaction([
    prisma.membership.delete({ where: { teamId_userId: { teamId: access.teamId, userId: access.userId } } }),
    prisma.user.updateMany({
      where: { id: access.userId, activeTeamId: access.teamId },
      data: { activeTeamId: null },
    }),
  ]);
  await sockets?.recheckMembership(access.userId, access.teamId);
}
