/**
 * Append-only metrics log, one JSON object per line: `{"type":"step",...StepMetrics}`,
 * `{"type":"eval",...EvalMetrics}`, `{"type":"warmstart",step,loss,gradNorm}`. On resume the lines of steps after
 * the checkpoint are dropped first, so the file reads like one uninterrupted run.
 */
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export type MetricsRecord = { type: "step" | "eval" | "warmstart"; step: number } & Record<string, unknown>;

export class MetricsJsonlWriter {
  constructor(readonly file: string) {}

  async append(record: MetricsRecord): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(record)}\n`);
  }

  /** Keeps step/eval records with step ≤ `step` and warm-start records with step ≤ `sftStep`. */
  async truncateAfter(step: number, sftStep: number): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch {
      return;
    }
    const kept = text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .filter((line) => {
        const r = JSON.parse(line) as MetricsRecord;
        return r.step <= (r.type === "warmstart" ? sftStep : step);
      });
    await writeFile(this.file, kept.map((l) => `${l}\n`).join(""));
  }

  /** All records (tests and the service's replay). */
  async readAll(): Promise<MetricsRecord[]> {
    const text = await readFile(this.file, "utf8");
    return text
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as MetricsRecord);
  }
}
