/**
 * Coalesces concurrent trainer reports into one database write. While a write is in flight, reports that
 * arrive queue up; the next write takes all of them (per trainer) in one transaction. Under load (20 runs
 * reporting at once) that replaces 20 transactions with one, which is what keeps emit → browser latency low.
 * A combined write that fails is retried report by report, so one report's failure never fails the others.
 */
import type { TrainerEvent } from "@bupo/shared/trainer-protocol";
import { groupBy } from "../group-by.ts";
import type { IngestResult } from "../services/ingest-service.ts";

type Ingest = (trainerId: string, events: TrainerEvent[]) => Promise<IngestResult>;

interface Pending {
  trainerId: string;
  events: TrainerEvent[];
  resolve(r: IngestResult): void;
  reject(e: unknown): void;
}

export class IngestCoalescer {
  private queue: Pending[] = [];
  private running = false;

  constructor(
    private readonly ingest: Ingest,
    private readonly onStored: (r: IngestResult) => void,
  ) {}

  /** Resolves once this report's events are stored (and broadcast). */
  submit(trainerId: string, events: TrainerEvent[]): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ trainerId, events, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        const byTrainer = groupBy(batch, (p) => p.trainerId);
        await Promise.all([...byTrainer].map(([trainerId, reports]) => this.write(trainerId, reports)));
      }
    } finally {
      this.running = false;
    }
  }

  private async write(trainerId: string, reports: Pending[]): Promise<void> {
    try {
      const result = await this.ingest(
        trainerId,
        reports.flatMap((r) => r.events),
      );
      this.onStored(result);
      for (const r of reports) r.resolve(result);
    } catch (e) {
      if (reports.length === 1) return reports[0]!.reject(e);
      for (const r of reports) {
        await this.ingest(trainerId, r.events).then(
          (res) => {
            this.onStored(res);
            r.resolve(res);
          },
          (err: unknown) => r.reject(err),
        );
      }
    }
  }
}
