/**
 * Layer-axis positions for per-layer charts. Index 0 is the embedding output (or first layer) and the last
 * index the final layer, so a model with L blocks has L + 1 profile points. Depth normalisation maps index i
 * to i / L, letting models of different depth (Qwen vs Llama) line up on one 0…1 axis.
 */

/** x position of profile point `index` out of `count`: the index itself, or index / (count − 1). */
export function layerPosition(index: number, count: number, normalizeDepth: boolean): number {
  if (!normalizeDepth) return index;
  return count > 1 ? index / (count - 1) : 0;
}

/** Positions for all `count` points of one profile. */
export function layerPositions(count: number, normalizeDepth: boolean): number[] {
  return Array.from({ length: count }, (_, i) => layerPosition(i, count, normalizeDepth));
}

/** Axis title for the layer axis. */
export function layerAxisTitle(normalizeDepth: boolean): string {
  return normalizeDepth ? "depth (layer / L)" : "layer";
}

/** One-line note shown under layer charts so nobody reads the axis as 1-based. */
export function layerAxisNote(normalizeDepth: boolean): string {
  return normalizeDepth
    ? "Depth = layer / L: 0 is the embedding output, 1 the final layer, so models of different depth line up."
    : "Layers are 0-based: 0 is the embedding output (or first layer), the highest index the final layer.";
}

/**
 * Tick label for an axis position: a layer label when one is given for an integer index, otherwise the
 * index, or a 2-decimal depth fraction when normalised.
 */
export function formatLayerTick(
  position: number,
  normalizeDepth: boolean,
  labels?: readonly string[],
): string {
  if (normalizeDepth) return trimFraction(position.toFixed(2));
  if (!Number.isInteger(position)) return "";
  return labels?.[position] ?? String(position);
}

/** Label of layer `index` for tooltips and legends ("layer 3" unless labels say otherwise). */
export function layerName(index: number, labels?: readonly string[]): string {
  return labels?.[index] ?? `layer ${index}`;
}

function trimFraction(text: string): string {
  return text.replace(/\.?0+$/, "") || "0";
}
