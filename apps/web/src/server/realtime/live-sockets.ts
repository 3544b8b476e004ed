/**
 * Browser sockets follow their session and their memberships, on every web process (the Redis adapter fans
 * room operations out): signing out or revoking a session disconnects its sockets, revoking a share link its
 * viewers' sockets; a membership change re-checks the user's sockets in the team's rooms and takes them out of
 * the rooms they may no longer read.
 */
import type { PrismaClient } from "@bupo/db/client";
import { hasRole } from "@bupo/shared/team";
import { runIdOfRoom, runRoom, sessionRoom, shareRoom, teamRoom, userRoom } from "./rooms.ts";
import type { RealtimeServer } from "./types.ts";

export interface LiveSockets {
  /** Disconnects every socket of the session (sign-out, revocation). */
  endSession(sessionId: string): void;
  /** Disconnects every viewer of the share link (revocation). */
  endShareLink(shareId: string): void;
  /** After a removal, a departure or a role change: the user's sockets leave the team's rooms they may no longer read. */
  recheckMembership(userId: string, teamId: string): Promise<void>;
}

export function liveSockets(io: RealtimeServer, prisma: PrismaClient): LiveSockets {
  return {
    endSession(sessionId) {
      io.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
    endShareLink(shareId) {
      io.in(shareRoom(shareId)).disconnectSockets(true);
    },
    async recheckMembership(userId, teamId) {
      const membership = await prisma.membership.findUnique({ where: { teamId_userId: { teamId, userId } } });
      // Reading a team's runs and live updates needs VIEWER, the lowest role: any member may stay.
      if (membership && hasRole(membership.role, "VIEWER")) return;
      const sockets = await io.in(userRoom(userId)).fetchSockets();
      const watched = [...new Set(sockets.flatMap((s) => [...s.rooms].map(runIdOfRoom)))].filter(
        (id): id is string => id !== null,
      );
      const teamRuns = await prisma.run.findMany({
        where: { id: { in: watched }, teamId },
        select: { id: true },
      });
      const rooms = [teamRoom(teamId), ...teamRuns.map((r) => runRoom(r.id))];
      io.in(userRoom(userId)).socketsLeave(rooms);
    },
  };
}
