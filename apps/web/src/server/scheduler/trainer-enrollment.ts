/**
 * Enrollment gives each configured trainer its own credential, bound to its id (the URL this web calls it
 * at): the web draws a fresh random credential, stores only its hash in the trainer's row, closes the
 * trainer's sockets that used the previous one, and hands it over by calling that URL (tRPC, shared token).
 * Only the process at that URL receives it, so holding the shared token is not enough to report as a trainer.
 *
 * Due: a configured trainer with no credential yet, one whose handshake was refused since its last
 * enrollment (it restarted, or the credential was replaced), or one silent for `staleAfterMs` since both its
 * last heartbeat and its last enrollment (say it restarted under another name for itself). At most one
 * enrollment per trainer every `ENROLL_RETRY_MS`, claimed with a compare-and-set on `enrolledAt`, so web
 * processes never race on it. Rows exist only for configured trainers.
 */
import type { PrismaClient } from "@bupo/db/client";
import { credentialHash, newCredential } from "@bupo/shared/service-credentials";
import type { Logger } from "../realtime/types.ts";
import type { TrainerDirectory } from "./trainer-directory.ts";

export const ENROLL_RETRY_MS = 2000;

export interface EnrollmentDeps {
  prisma: PrismaClient;
  trainers: TrainerDirectory;
  logger: Logger;
  /** How often the trainer should send heartbeats. */
  heartbeatSeconds: number;
  /** A trainer not heard from for this long (nor enrolled) is enrolled again: the heartbeat timeout. */
  staleAfterMs: number;
  /** When this web process started listening: silence counts from then at the earliest. */
  upSince: Date;
  /** Closes the trainer's open sockets (they authenticated with the credential being replaced). */
  disconnectTrainer(trainerId: string): void;
  now?: () => Date;
}

interface TrainerEnrollmentRow {
  id: string;
  lastSeenAt: Date | null;
  credentialHash: string | null;
  enrolledAt: Date | null;
  enrollRequestedAt: Date | null;
}

/** Whether a trainer row is due for (re-)enrollment at `now`. Pure. */
export function enrollmentDue(
  row: TrainerEnrollmentRow,
  now: Date,
  staleAfterMs: number,
  upSince = new Date(0),
): boolean {
  const age = (d: Date | null) => (d === null ? Number.POSITIVE_INFINITY : now.getTime() - d.getTime());
  const requested =
    !row.credentialHash ||
    (row.enrollRequestedAt !== null && (row.enrolledAt === null || row.enrollRequestedAt > row.enrolledAt));
  const heardOrListening = row.lastSeenAt && row.lastSeenAt > upSince ? row.lastSeenAt : upSince;
  const silent = age(heardOrListening) >= staleAfterMs && age(row.enrolledAt) >= staleAfterMs;
  return (requested || silent) && age(row.enrolledAt) >= ENROLL_RETRY_MS;
}

export async function enrollDueTrainers(deps: EnrollmentDeps): Promise<void> {
  const urls = deps.trainers.urls;
  if (!urls.length) return;
  const now = deps.now?.() ?? new Date();
  await deps.prisma.trainer.createMany({ data: urls.map((id) => ({ id })), skipDuplicates: true });
  const rows = await deps.prisma.trainer.findMany({
    where: { id: { in: urls } },
    select: { id: true, lastSeenAt: true, credentialHash: true, enrolledAt: true, enrollRequestedAt: true },
  });
  const due = rows.filter((r) => enrollmentDue(r, now, deps.staleAfterMs, deps.upSince));
  await Promise.all(due.map((r) => enroll(deps, r, now)));
}

async function enroll(deps: EnrollmentDeps, row: TrainerEnrollmentRow, now: Date): Promise<void> {
  const credential = newCredential();
  const claim = await deps.prisma.trainer.updateMany({
    where: { id: row.id, enrolledAt: row.enrolledAt },
    data: { credentialHash: credentialHash(credential), enrolledAt: now },
  });
  if (!claim.count) return; // another web process enrolled it meanwhile
  deps.disconnectTrainer(row.id);
  try {
    const r = await deps.trainers.client(row.id).link.enroll.mutate({
      trainerId: row.id,
      credential,
      heartbeatSeconds: deps.heartbeatSeconds,
    });
    if (r.reporting) deps.logger.info({ trainer: row.id }, "trainer enrolled");
    else deps.logger.warn({ trainer: row.id }, "trainer enrolled but has no WEB_URL: it will not report");
  } catch (e) {
    deps.logger.warn(
      { trainer: row.id, err: e instanceof Error ? e.message : String(e) },
      "trainer not enrolled (unreachable?); retried when it connects",
    );
  }
}
