/** Flattens configs to dotted paths and keeps only the paths whose values differ (for the compare page). */

export type Flat = Record<string, unknown>;

export function flattenConfig(value: unknown, prefix = "", out: Flat = {}): Flat {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = value;
  }
  return out;
}

export interface ConfigDifference {
  path: string;
  /** One value per config, in input order (undefined where the path is absent). */
  values: unknown[];
}

export function diffConfigs(configs: unknown[]): ConfigDifference[] {
  const flats = configs.map((c) => flattenConfig(c));
  const paths = [...new Set(flats.flatMap((f) => Object.keys(f)))].sort();
  return paths
    .map((path) => ({ path, values: flats.map((f) => f[path]) }))
    .filter((d) => new Set(d.values.map((v) => JSON.stringify(v))).size > 1);
}
