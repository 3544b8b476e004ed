import type { PrismaClient } from "../generated/client/client.ts";
import type { TeamRole } from "../generated/client/enums.ts";

/** Creates a team with the given members (first one becomes the active team of each member without one). */
export async function seedTeam(
  prisma: PrismaClient,
  name: string,
  members: { userId: string; role: TeamRole }[],
): Promise<string> {
  const team = await prisma.team.create({
    data: { name, memberships: { create: members.map((m) => ({ userId: m.userId, role: m.role })) } },
  });
  await prisma.user.updateMany({
    where: { id: { in: members.map((m) => m.userId) }, activeTeamId: null },
    data: { activeTeamId: team.id },
  });
  return team.id;
}
