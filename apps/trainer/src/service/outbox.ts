/**
 * Durable outbox of trainer → web events. Every event gets a per-(run, attempt) sequence number and is
 * appended to `<dir>/<runId>.<attempt>.jsonl` before it is offered for sending; acknowledged sequence
 * numbers are recorded in `<…>.acked`. After a crash or restart the unacknowledged tail is loaded again and
 * replayed, so delivery is at-least-once; the web side's writes are idempotent.
 */
import fs from "node:fs";
import path from "node:path";
import type { TrainerEvent, TrainerEventBody } from "@bupo/shared/trainer-protocol";

interface Stream {
  runId: string;
  attempt: number;
  file: string;
  nextSeq: number;
  acked: number;
  pending: TrainerEvent[];
  /** A terminal status was appended: once all is delivered, the stream is deleted. */
  ended: boolean;
}

const isTerminal = (e: Pick<TrainerEvent, "type"> & { status?: string }) =>
  e.type === "status" && e.status !== "running";

const key = (runId: string, attempt: number) => `${runId}.${attempt}`;

export class Outbox {
  private readonly streams = new Map<string, Stream>();
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly dir: string) {}

  /** Opens the folder and reloads every event not yet acknowledged. */
  static open(dir: string): Outbox {
    fs.mkdirSync(dir, { recursive: true });
    const box = new Outbox(dir);
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".jsonl"))) {
      const file = path.join(dir, name);
      const acked = Number(readOr(`${file}.acked`, "0")) || 0;
      const events = readOr(file, "")
        .split("\n")
        .filter(Boolean)
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as TrainerEvent];
          } catch {
            return []; // a torn last line from a crash mid-write
          }
        });
      const first = events[0];
      if (!first) continue;
      const nextSeq = Math.max(...events.map((e) => e.seq)) + 1;
      box.streams.set(key(first.runId, first.attempt), {
        runId: first.runId,
        attempt: first.attempt,
        file,
        nextSeq,
        acked,
        pending: events.filter((e) => e.seq > acked),
        ended: events.some(isTerminal),
      });
    }
    return box;
  }

  /** Numbers, persists and queues one event; returns it as it will be sent. */
  append(runId: string, attempt: number, body: TrainerEventBody): TrainerEvent {
    const k = key(runId, attempt);
    let s = this.streams.get(k);
    if (!s) {
      s = {
        runId,
        attempt,
        file: path.join(this.dir, `${safe(runId)}.${attempt}.jsonl`),
        nextSeq: 1,
        acked: 0,
        pending: [],
        ended: false,
      };
      this.streams.set(k, s);
    }
    const event = { ...body, runId, attempt, seq: s.nextSeq++, at: new Date().toISOString() } as TrainerEvent;
    fs.appendFileSync(s.file, `${JSON.stringify(event)}\n`);
    s.pending.push(event);
    if (isTerminal(event)) s.ended = true;
    for (const l of this.listeners) l();
    return event;
  }

  /** Up to `limit` unacknowledged events, oldest first within each run. */
  pending(limit: number): TrainerEvent[] {
    const out: TrainerEvent[] = [];
    for (const s of this.streams.values()) {
      for (const e of s.pending) {
        if (out.length >= limit) return out;
        out.push(e);
      }
    }
    return out;
  }

  /** Attempts with events not yet acknowledged (the heartbeat tells the web they are still reporting). */
  reportingAttempts(): { runId: string; attempt: number }[] {
    return [...this.streams.values()]
      .filter((s) => s.pending.length > 0)
      .map(({ runId, attempt }) => ({ runId, attempt }));
  }

  get size(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.pending.length;
    return n;
  }

  /** Marks events delivered; a stream whose run ended and is fully delivered is deleted from disk. */
  ack(events: TrainerEvent[]): void {
    for (const e of events) {
      const s = this.streams.get(key(e.runId, e.attempt));
      if (!s) continue;
      s.pending = s.pending.filter((p) => p.seq !== e.seq);
      const watermark = s.pending.length ? s.pending[0]!.seq - 1 : s.nextSeq - 1;
      if (watermark > s.acked) {
        s.acked = watermark;
        fs.writeFileSync(`${s.file}.acked`, String(watermark));
      }
      if (s.pending.length === 0 && s.ended) {
        fs.rmSync(s.file, { force: true });
        fs.rmSync(`${s.file}.acked`, { force: true });
        this.streams.delete(key(s.runId, s.attempt));
      }
    }
  }

  /** Called whenever an event is appended (the sender wakes up). */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

const safe = (runId: string) => runId.replace(/[^\w-]/g, "_");
