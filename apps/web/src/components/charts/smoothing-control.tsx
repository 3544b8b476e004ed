"use client";

import { useId } from "react";
import { MAX_SMOOTHING } from "./ema-smoothing.ts";

export interface SmoothingControlProps {
  value: number;
  onChange: (value: number) => void;
  label?: string;
}

/** Labelled 0–0.99 slider for MetricChart's `smoothing` (one per page, shared by all its charts, like W&B). */
export function SmoothingControl({ value, onChange, label = "Smoothing" }: SmoothingControlProps) {
  const id = useId();
  return (
    <div className="flex items-center gap-2 text-xs">
      <label htmlFor={id} className="font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={MAX_SMOOTHING}
        step={0.01}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-valuetext={value > 0 ? `EMA weight ${value.toFixed(2)}` : "off"}
        className="w-32 accent-emerald-700 dark:accent-emerald-500"
      />
      <output htmlFor={id} className="w-8 font-mono tabular-nums text-zinc-700 dark:text-zinc-300">
        {value.toFixed(2)}
      </output>
    </div>
  );
}
