import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Outbox } from "./outbox.ts";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "bupo-outbox-"));
const log = (message: string) => ({ type: "log" as const, level: "info" as const, message });

describe("outbox", () => {
  it("numbers events per (run, attempt) and hands them out oldest first", () => {
    const box = Outbox.open(tmp());
    box.append("a", 1, log("a1"));
    box.append("a", 1, log("a2"));
    box.append("a", 2, log("a-retry"));
    expect(box.pending(10).map((e) => [e.runId, e.attempt, e.seq])).toEqual([
      ["a", 1, 1],
      ["a", 1, 2],
      ["a", 2, 1],
    ]);
    expect(box.pending(1)).toHaveLength(1);
  });

  it("replays unacknowledged events after a restart and continues the numbering", () => {
    const dir = tmp();
    const box = Outbox.open(dir);
    for (let i = 1; i <= 5; i++) box.append("run", 1, log(`line ${i}`));
    box.ack(box.pending(2));
    const again = Outbox.open(dir); // a new process on the same folder
    expect(again.pending(10).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(again.append("run", 1, log("line 6")).seq).toBe(6);
  });

  it("survives a torn last line from a crash mid-write", () => {
    const dir = tmp();
    const box = Outbox.open(dir);
    box.append("run", 1, log("whole"));
    fs.appendFileSync(path.join(dir, "run.1.jsonl"), '{"type":"log","runId":"run"');
    expect(
      Outbox.open(dir)
        .pending(10)
        .map((e) => e.seq),
    ).toEqual([1]);
  });

  it("deletes a finished, fully delivered stream and keeps an unfinished one", () => {
    const dir = tmp();
    const box = Outbox.open(dir);
    box.append("done", 1, log("x"));
    box.append("done", 1, { type: "status", status: "succeeded" });
    box.append("live", 1, log("y"));
    box.ack(box.pending(10));
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("done"))).toEqual([]);
    expect(fs.readdirSync(dir)).toContain("live.1.jsonl");
    expect(box.size).toBe(0);
  });
});
