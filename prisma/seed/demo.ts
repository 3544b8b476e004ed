import type { PrismaClient } from "../generated/client/client.ts";
import { seedTeam } from "./teams.ts";
import { seedUser } from "./users.ts";

export const DEMO_LOGIN = { email: "demo@bupo.studio", password: "bupo-demo-2026", name: "Demo Researcher" };
export const DEMO_TEAM = "Demo Lab";

/** Seeds the demo user and team once; a second call changes nothing. */
export async function seedDemo(
  prisma: PrismaClient,
): Promise<{ userId: string; teamId: string; created: boolean }> {
  const userId = await seedUser(prisma, DEMO_LOGIN);
  const existing = await prisma.membership.findFirst({ where: { userId, team: { name: DEMO_TEAM } } });
  if (existing) return { userId, teamId: existing.teamId, created: false };
  const teamId = await seedTeam(prisma, DEMO_TEAM, [{ userId, role: "OWNER" }]);
  return { userId, teamId, created: true };
}
