import type { PrismaClient } from "@bupo/db/client";
import type { ClientToServerEvents, ServerToClientEvents } from "@bupo/shared/realtime";
import type { TrainerToWebEvents } from "@bupo/shared/trainer-protocol";
import type { Namespace, Server } from "socket.io";
import type { SessionUser } from "../services/session-service.ts";

/** A browser socket is a signed-in member's (session cookie) or a share-link viewer's (token in `auth`). */
export type BrowserSocketData =
  | { kind: "member"; user: SessionUser; sessionId: string }
  | { kind: "share"; shareId: string };
export interface TrainerSocketData {
  trainerId: string;
}
export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  BrowserSocketData
>;
export type TrainerNamespace = Namespace<
  TrainerToWebEvents,
  Record<string, never>,
  Record<string, never>,
  TrainerSocketData
>;

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RealtimeDeps {
  prisma: PrismaClient;
  /** Shared secret trainers present in the handshake. */
  trainerToken: string | undefined;
  /** The trainers this web is configured with (TRAINER_URLS): the only ids a trainer socket may take. */
  trainerUrls: string[];
  logger: Logger;
}
