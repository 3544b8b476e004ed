import type { PrismaClient } from "@bupo/db/client";
import type { TeamAccess } from "./membership-service.ts";

/** Creates a team owned by its creator and makes it their active team. */
export async function createTeam(prisma: PrismaClient, userId: string, name: string) {
  return prisma.$transaction(async (tx) => {
    const team = await tx.team.create({
      data: { name, memberships: { create: { userId, role: "OWNER" } } },
      select: { id: true, name: true },
    });
    await tx.user.update({ where: { id: userId }, data: { activeTeamId: team.id } });
    return team;
  });
}

/** The caller's teams with their role, oldest membership first. */
export async function listTeams(prisma: PrismaClient, userId: string) {
  const memberships = await prisma.membership.findMany({
    where: { userId },
    include: { team: { select: { id: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return memberships.map((m) => ({ id: m.team.id, name: m.team.name, role: m.role }));
}

export async function setActiveTeam(prisma: PrismaClient, access: TeamAccess): Promise<void> {
  await prisma.user.update({ where: { id: access.userId }, data: { activeTeamId: access.teamId } });
}

/** Team details visible to any member: name, members and their roles. */
export async function getTeam(prisma: PrismaClient, access: TeamAccess) {
  const team = await prisma.team.findUniqueOrThrow({
    where: { id: access.teamId },
    select: {
      id: true,
      name: true,
      createdAt: true,
      memberships: {
        select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  return {
    id: team.id,
    name: team.name,
    createdAt: team.createdAt,
    myRole: access.role,
    myUserId: access.userId,
    members: team.memberships.map((m) => ({ ...m.user, role: m.role, joinedAt: m.createdAt })),
  };
}
