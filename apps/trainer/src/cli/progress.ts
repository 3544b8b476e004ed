/**
 * A progress bar with ETA for long CLI jobs, written to stderr so stdout stays clean for data.
 * On a terminal it redraws one line in place; otherwise (CI logs, pipes) it prints a plain line per update,
 * at most one every `minIntervalMs`, plus always the last one.
 */

export interface ProgressOptions {
  total: number;
  label?: string;
  write(text: string): void;
  isTty: boolean;
  /** TTY: cut lines to this width (a wrapped line cannot be redrawn in place). */
  columns?: number;
  /** Bar width in characters (default 20). */
  width?: number;
  /** Non-TTY: minimum time between printed lines (default 0 = every update). */
  minIntervalMs?: number;
  /** Units already done when the bar starts (a resumed run); the ETA uses only the rate since then. */
  initial?: number;
  /** Injectable clock (ms), for tests. */
  now?: () => number;
}

export interface Progress {
  /** Reports `done` of `total` units finished, with a free-form suffix (live metrics). */
  update(done: number, suffix?: string): void;
  /** Prints a line above the bar (TTY: the bar is redrawn below it). */
  log(line: string): void;
  /** Ends the line (TTY) so later output starts on a fresh line. */
  finish(): void;
}

/** `75` → `1:15`, `3725` → `1:02:05`; `--:--` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** Remaining seconds from the average rate since the start: elapsed / (done − initial) · (total − done). */
export function estimateEta(elapsedMs: number, done: number, total: number, initial = 0): number {
  if (done - initial <= 0) return Number.NaN;
  return ((elapsedMs / (done - initial)) * Math.max(0, total - done)) / 1000;
}

/** The text of one progress line (no newline). */
export function renderProgress(
  done: number,
  total: number,
  elapsedMs: number,
  opts: { label?: string; width?: number; suffix?: string; initial?: number } = {},
): string {
  const width = opts.width ?? 20;
  const frac = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(frac * width);
  const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
  const pct = `${Math.floor(frac * 100)}`.padStart(3);
  const eta = estimateEta(elapsedMs, done, total, opts.initial);
  const parts = [
    opts.label ? `${opts.label} ` : "",
    `${bar} ${pct}% ${done}/${total}`,
    ` · ${formatDuration(elapsedMs / 1000)} · ETA ${formatDuration(eta)}`,
    opts.suffix ? ` · ${opts.suffix}` : "",
  ];
  return parts.join("");
}

export function createProgress(opts: ProgressOptions): Progress {
  const now = opts.now ?? (() => performance.now());
  const start = now();
  let lastPrinted = Number.NEGATIVE_INFINITY;
  let open = false;
  let current = "";
  return {
    update(done, suffix) {
      const t = now();
      current = renderProgress(done, opts.total, t - start, { ...opts, suffix });
      if (opts.isTty && opts.columns && current.length >= opts.columns) {
        current = `${current.slice(0, Math.max(0, opts.columns - 2))}…`;
      }
      if (opts.isTty) {
        opts.write(`\r\x1b[2K${current}`);
        open = true;
      } else if (done >= opts.total || t - lastPrinted >= (opts.minIntervalMs ?? 0)) {
        opts.write(`${current}\n`);
        lastPrinted = t;
      }
    },
    log(line) {
      if (open) opts.write(`\r\x1b[2K${line}\n${current}`);
      else opts.write(`${line}\n`);
    },
    finish() {
      if (open) opts.write("\n");
      open = false;
    },
  };
}
