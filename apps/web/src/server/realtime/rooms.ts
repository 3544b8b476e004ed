export const runRoom = (runId: string) => `run:${runId}`;
export const teamRoom = (teamId: string) => `team:${teamId}`;
