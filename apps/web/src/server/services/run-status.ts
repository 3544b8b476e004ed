import type { RunStatus as DbRunStatus } from "@bupo/db/client";
import type { RunStatus } from "@bupo/shared/trainer-protocol";

export const toDbStatus = (s: RunStatus) => s.toUpperCase() as DbRunStatus;
export const fromDbStatus = (s: DbRunStatus) => s.toLowerCase() as RunStatus;
export const DB_TERMINAL: DbRunStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];
export const isTerminal = (s: DbRunStatus) => DB_TERMINAL.includes(s);
