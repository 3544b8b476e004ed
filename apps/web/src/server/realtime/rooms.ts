export const runRoom = (runId: string) => `run:${runId}`;
export const teamRoom = (teamId: string) => `team:${teamId}`;
/** Every browser socket is in its session's room and its user's room: revocation and role changes reach them. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const userRoom = (userId: string) => `user:${userId}`;
/** Every share-link viewer's socket is in its link's room: revoking the link reaches them. */
export const shareRoom = (shareId: string) => `share:${shareId}`;

/** The run id of a `run:<id>` room, or null for any other room. */
export const runIdOfRoom = (room: string) => (room.startsWith("run:") ? room.slice(4) : null);
