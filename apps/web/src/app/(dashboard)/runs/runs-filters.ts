import type { ListRunsInput } from "@bupo/shared/run-queries";

/** Runs-list state lives in the URL (shareable, back-button friendly); these map it both ways. */
export type RunsQuery = Omit<ListRunsInput, "teamId">;

const KEYS = ["status", "algorithm", "family", "kind", "tag", "search", "sort", "order", "page"] as const;

export function queryFromParams(p: URLSearchParams): RunsQuery {
  const q: Record<string, unknown> = {};
  for (const k of KEYS) {
    const v = p.get(k);
    if (v) q[k] = k === "page" ? Number(v) || 1 : v;
  }
  return q as RunsQuery;
}

export function paramsFromQuery(q: RunsQuery): string {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    const v = q[k];
    if (v !== undefined && v !== "" && !(k === "page" && v === 1)) p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}
