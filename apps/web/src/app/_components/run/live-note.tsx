import type { RunSource } from "./run-data.ts";
import type { RunsStream } from "./use-run-stream.ts";

/** Why live updates stopped or are unavailable (a revoked or expired share link, a lost session). */
export function LiveNote({
  source,
  stream,
}: {
  source: RunSource;
  stream: Pick<RunsStream, "connected" | "ended" | "error">;
}) {
  if (stream.connected) return null;
  if (stream.ended || (source.kind === "share" && stream.error)) {
    return (
      <p role="status" data-testid="live-ended" className="text-sm text-zinc-700 dark:text-zinc-300">
        {source.kind === "share"
          ? "Live updates ended: this share link was revoked or has expired. Reload the page to check."
          : "Live updates ended: you were signed out. Reload the page to sign in again."}
      </p>
    );
  }
  return stream.error ? (
    <p className="text-sm text-red-700">Live updates unavailable: {stream.error}</p>
  ) : null;
}
