"use client";

import { useId } from "react";
import { nearestIndex } from "./step-alignment.ts";
import { formatStep } from "./tick-format.ts";
import type { StepMarker } from "./types.ts";

export interface StepScrubberProps {
  /** Steps that have data, ascending (the slider moves over their indices, so uneven spacing is fine). */
  steps: number[];
  /** Current step; snapped to the nearest available one. */
  step?: number;
  onStepChange?: (step: number) => void;
  /** Shown as ticks under the slider, e.g. the BuPO phase switch. */
  markers?: StepMarker[];
  label?: string;
}

/** Labelled `<input type=range>` over the available steps, with marker ticks. */
export function StepScrubber({ steps, step, onStepChange, markers = [], label = "Step" }: StepScrubberProps) {
  const id = useId();
  if (steps.length === 0) return null;
  const last = steps.length - 1;
  const index = step == null ? last : Math.max(0, nearestIndex(steps, step));
  const current = steps[index] as number;
  const at = (i: number) => (last > 0 ? (i / last) * 100 : 0);
  return (
    <div className="mt-3">
      <div className="flex items-center gap-3">
        <label htmlFor={id} className="shrink-0 text-xs font-medium text-zinc-800 dark:text-zinc-200">
          {label}
        </label>
        <div className="relative flex-1">
          <input
            id={id}
            type="range"
            min={0}
            max={last}
            step={1}
            value={index}
            disabled={!onStepChange || last === 0}
            aria-valuetext={`step ${current.toLocaleString("en-US")}`}
            onChange={(e) => onStepChange?.(steps[Number(e.target.value)] as number)}
            className="w-full accent-emerald-700 dark:accent-emerald-500"
          />
          {markers.length > 0 ? (
            <div aria-hidden className="relative h-4">
              {markers.map((m) => (
                <span
                  key={`${m.step}-${m.label}`}
                  className="absolute top-0 -translate-x-1/2 whitespace-nowrap text-[10px] text-amber-700 dark:text-amber-400"
                  style={{ left: `${at(nearestIndex(steps, m.step))}%` }}
                >
                  ┆ {m.label}
                </span>
              ))}
            </div>
          ) : null}
        </div>
        <output htmlFor={id} className="w-20 shrink-0 text-right font-mono text-xs tabular-nums">
          {formatStep(current)}
        </output>
      </div>
      {markers.length > 0 ? (
        <p className="sr-only">
          Marked steps: {markers.map((m) => `${m.label} at step ${m.step}`).join("; ")}.
        </p>
      ) : null}
    </div>
  );
}
