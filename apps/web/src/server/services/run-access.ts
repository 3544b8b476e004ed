import type { PrismaClient, TeamRole } from "@bupo/db/client";
import { notFound } from "../errors.ts";
import { requireTeamRole, type TeamAccess } from "./membership-service.ts";

/**
 * The caller's access to a run: a member of the run's team with at least `minRole`. A run of another team
 * is NOT_FOUND (same answer as a missing run), for tRPC reads and socket joins alike.
 */
export async function requireRunAccess(
  prisma: PrismaClient,
  userId: string,
  runId: string,
  minRole: TeamRole = "VIEWER",
): Promise<TeamAccess & { runId: string }> {
  const run = await prisma.run.findUnique({ where: { id: runId }, select: { teamId: true } });
  if (!run) throw notFound("Run");
  const access = await requireTeamRole(prisma, userId, run.teamId, minRole).catch((e: unknown) => {
    throw e instanceof Error && "code" in e && e.code === "NOT_FOUND" ? notFound("Run") : e;
  });
  return { ...access, runId };
}
