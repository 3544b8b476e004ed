/** Only same-site paths may be followed after login (no open redirects). */
export function safeNextPath(next: string | null | undefined, fallback = "/runs"): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : fallback;
}
