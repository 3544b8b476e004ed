import type { TrainerEvent } from "@bupo/shared/trainer-protocol";
import { describe, expect, it } from "vitest";
import type { IngestResult } from "../services/ingest-service.ts";
import { IngestCoalescer } from "./ingest-coalescer.ts";

const log = (runId: string, seq: number): TrainerEvent => ({
  type: "log",
  runId,
  attempt: 1,
  seq,
  at: new Date().toISOString(),
  level: "info",
  message: "x",
});
const empty = (stored: number): IngestResult => ({
  stored,
  metrics: [],
  statuses: [],
  logs: [],
  evals: [],
  analyses: [],
  rejected: new Map(),
});

describe("ingest coalescer", () => {
  it("writes reports that arrive during a write together, in arrival order, and acks each", async () => {
    const writes: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const c = new IngestCoalescer(
      async (_t, events) => {
        writes.push(events.map((e) => `${e.runId}#${e.seq}`));
        if (writes.length === 1) await gate;
        return empty(events.length);
      },
      () => {},
    );
    const first = c.submit("t", [log("a", 1)]);
    const queued = [c.submit("t", [log("b", 1)]), c.submit("t", [log("a", 2), log("a", 3)])];
    release();
    await first;
    expect((await Promise.all(queued)).map((r) => r.stored)).toEqual([3, 3]);
    expect(writes).toEqual([["a#1"], ["b#1", "a#2", "a#3"]]);
  });

  it("retries a refused combined write report by report, so only the bad report fails", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    const c = new IngestCoalescer(
      async (_t, events) => {
        calls++;
        if (calls === 1) await gate;
        if (events.some((e) => e.runId === "foreign")) throw new Error("not assigned");
        return empty(events.length);
      },
      () => {},
    );
    const first = c.submit("t", [log("a", 1)]);
    const good = c.submit("t", [log("a", 2)]);
    const bad = c.submit("t", [log("foreign", 1)]);
    release();
    await first;
    await expect(good).resolves.toMatchObject({ stored: 1 });
    await expect(bad).rejects.toThrow("not assigned");
  });
});
