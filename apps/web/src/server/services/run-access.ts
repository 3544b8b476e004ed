import type { PrismaClient, TeamRole } from "@bupo/db/client";
import { forbidden, notFound } from "../errors.ts";
import { requireTeamRole, type TeamAccess } from "./membership-service.ts";

/** The caller's checked access to one run: a member of its team with their role, and who launched it. */
export interface RunAccess extends TeamAccess {
  runId: string;
  creatorId: string;
}

/**
 * The caller's access to a run: a member of the run's team with at least `minRole`. A run of another team
 * is NOT_FOUND (same answer as a missing run), for tRPC reads and socket joins alike.
 */
export async function requireRunAccess(
  prisma: PrismaClient,
  userId: string,
  runId: string,
  minRole: TeamRole = "VIEWER",
): Promise<RunAccess> {
  const run = await prisma.run.findUnique({
    where: { id: runId },
    select: { teamId: true, creatorId: true },
  });
  if (!run) throw notFound("Run");
  const access = await requireTeamRole(prisma, userId, run.teamId, minRole).catch((e: unknown) => {
    throw e instanceof Error && "code" in e && e.code === "NOT_FOUND" ? notFound("Run") : e;
  });
  return { ...access, runId, creatorId: run.creatorId };
}

/** Managing a run (cancelling it): admins and owners any run of the team, members their own runs. */
export function mayManageRun(access: RunAccess): boolean {
  return (
    access.role === "OWNER" ||
    access.role === "ADMIN" ||
    (access.role === "MEMBER" && access.creatorId === access.userId)
  );
}

export function assertMayManageRun(access: RunAccess): void {
  if (!mayManageRun(access))
    throw forbidden("Members manage only the runs they launched; ask an admin or the run's creator.");
}
