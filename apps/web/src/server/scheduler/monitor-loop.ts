/**
 * Runs a task at a fixed rate (every `everyMs`, measured from each tick's start; a tick that overruns delays
 * the next, never overlaps it), in one web process at a time: each tick first takes or renews a lease row
 * (one statement, timed by the database's clock); a process whose lease another holds skips its tick, and
 * takes over once that lease has expired (its holder stopped or died). No transaction stays open, so this
 * works the same on PostgreSQL and on the embedded database.
 */
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@bupo/db/client";

export interface MonitorLoopOptions {
  prisma: PrismaClient;
  /** The lease's name (one per loop). */
  name: string;
  everyMs: number;
  tick(): Promise<void>;
  onError(e: unknown): void;
}

export interface MonitorLoop {
  stop(): Promise<void>;
}

/** Takes the lease, or renews it when this holder has it; false while another holder's lease runs. */
async function takeLease(prisma: PrismaClient, name: string, holder: string, ms: number): Promise<boolean> {
  const taken = await prisma.$executeRaw`
    INSERT INTO "SchedulerLease" (name, holder, "expiresAt")
    VALUES (${name}, ${holder}, now() + ${ms} * interval '1 millisecond')
    ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, "expiresAt" = EXCLUDED."expiresAt"
    WHERE "SchedulerLease".holder = EXCLUDED.holder OR "SchedulerLease"."expiresAt" < now()`;
  return taken === 1;
}

export function startMonitorLoop(opts: MonitorLoopOptions): MonitorLoop {
  const holder = randomUUID();
  // Long enough to outlast a slow tick (trainer calls time out after 5 s); short enough for a quick takeover.
  const leaseMs = 3 * opts.everyMs + 5000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const run = async () => {
    const startedAt = Date.now();
    try {
      if (await takeLease(opts.prisma, opts.name, holder, leaseMs)) await opts.tick();
    } catch (e) {
      opts.onError(e);
    }
    if (!stopped) timer = setTimeout(tick, Math.max(0, startedAt + opts.everyMs - Date.now()));
  };
  const tick = () => {
    current = run();
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
      // Let another process take over at once instead of after the lease runs out.
      await opts.prisma.schedulerLease.deleteMany({ where: { name: opts.name, holder } }).catch(() => {});
    },
  };
}
