"use client";

import type { ButtonHTMLAttributes, ReactNode } from "react";

const base =
  "inline-flex items-center gap-1 rounded-md border px-2 py-1 text-xs font-medium shadow-sm " +
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600 " +
  "disabled:cursor-not-allowed disabled:opacity-50";
const idle =
  "border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50 " +
  "dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800";
const pressed =
  "border-emerald-600 bg-emerald-50 text-emerald-900 dark:border-emerald-500 dark:bg-emerald-950 dark:text-emerald-100";

/** Compact toolbar button; pass `pressed` to make it a toggle (aria-pressed). */
export function ToolbarButton({
  pressed: isPressed,
  className = "",
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { pressed?: boolean }) {
  return (
    <button
      type="button"
      aria-pressed={isPressed}
      className={`${base} ${isPressed ? pressed : idle} ${className}`}
      {...rest}
    />
  );
}

/** Right-aligned row of chart controls. */
export function ChartToolbar({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="toolbar" aria-label={label} className="flex flex-wrap items-center gap-2">
      {children}
    </div>
  );
}
