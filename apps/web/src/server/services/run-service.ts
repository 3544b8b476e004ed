import type { PrismaClient } from "@bupo/db/client";
import type { TeamAccess } from "./membership-service.ts";

/** A team's runs, newest first (the launch and live pipeline fill this table). */
export function listRuns(prisma: PrismaClient, access: TeamAccess) {
  return prisma.run.findMany({
    where: { teamId: access.teamId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: {
      id: true,
      name: true,
      kind: true,
      algorithm: true,
      modelFamily: true,
      status: true,
      lastStep: true,
      totalSteps: true,
      tags: true,
      createdAt: true,
      creator: { select: { name: true } },
    },
  });
}
