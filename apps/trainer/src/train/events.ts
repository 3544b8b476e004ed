/**
 * Typed trainer events (style §8.10: typed, `entity:verb`-free names inside one emitter) and a tiny emitter.
 * Listener errors never stop a run: they are reported as `log` events (level "error").
 */
import type { BupoPhase, EvalMetrics, StepMetrics } from "@bupo/shared";
import type { UpdateResult } from "./policy-update.ts";

export type TrainerStatus = "starting" | "warm-start" | "training" | "completed" | "cancelled" | "failed";

export interface TrainerEventMap {
  /** Lifecycle changes. `step` = last completed RL step. */
  status: { status: TrainerStatus; step: number; message?: string };
  log: { level: "debug" | "info" | "warn" | "error"; message: string; step?: number };
  /** One warm-start optimizer step (every `schedule.logEvery` steps and the last). */
  warmstart: { step: number; totalSteps: number; loss: number; gradNorm: number };
  /** One RL step (every `schedule.logEvery` steps and the last); `updates` has one entry per mini-batch. */
  step: { metrics: StepMetrics; updates: UpdateResult[] };
  /** Held-out evaluation of the full policy (step 0 = before RL). */
  eval: EvalMetrics;
  /** The policy head changes (also emitted for the first step a process runs; `previous` null then). */
  phase: { step: number; phase: BupoPhase; previous: BupoPhase | null; internalLayer: number | null };
  checkpoint: { step: number; path: string; reason: "periodic" | "final" | "cancel" };
}

export type TrainerEventName = keyof TrainerEventMap;
export type TrainerListener<K extends TrainerEventName> = (payload: TrainerEventMap[K]) => void;

export class TrainerEvents {
  private readonly listeners = new Map<TrainerEventName, Set<(p: never) => void>>();

  /** Subscribes; returns the unsubscribe function. */
  on<K extends TrainerEventName>(event: K, fn: TrainerListener<K>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(fn as (p: never) => void);
    this.listeners.set(event, set);
    return () => this.off(event, fn);
  }

  off<K extends TrainerEventName>(event: K, fn: TrainerListener<K>): void {
    this.listeners.get(event)?.delete(fn as (p: never) => void);
  }

  emit<K extends TrainerEventName>(event: K, payload: TrainerEventMap[K]): void {
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        (fn as TrainerListener<K>)(payload);
      } catch (err) {
        if (event === "log") continue;
        const message = `listener of "${event}" threw: ${err instanceof Error ? err.message : String(err)}`;
        this.emit("log", { level: "error", message });
      }
    }
  }
}
