import { describe, expect, it } from "vitest";
import { buildLayerProfileColumns, layerMarkerPositions } from "./layer-profile-data.ts";
import type { LayerProfileSeries } from "./types.ts";

const profile = (label: string, values: number[]): LayerProfileSeries => ({ label, color: "#000", values });

describe("buildLayerProfileColumns", () => {
  const shallow = profile("4 blocks", [5, 4, 3, 2, 1]);
  const deep = profile("2 blocks", [6, 3, Number.NaN]);

  it("uses layer indices without normalisation", () => {
    const [x, a, b] = buildLayerProfileColumns([shallow, deep], false);
    expect(x).toEqual([0, 1, 2, 3, 4]);
    expect(a).toEqual([5, 4, 3, 2, 1]);
    expect(b).toEqual([6, 3, null, undefined, undefined]);
  });

  it("lines up different depths on 0…1 when normalising", () => {
    const [x, a, b] = buildLayerProfileColumns([shallow, deep], true);
    expect(x).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(a).toEqual([5, 4, 3, 2, 1]);
    expect(b).toEqual([6, undefined, 3, undefined, null]);
  });
});

describe("layerMarkerPositions", () => {
  it("converts layer markers to depth using the deepest profile", () => {
    const series = [profile("a", [1, 2, 3, 4, 5])];
    expect(layerMarkerPositions([{ layer: 2, label: "k" }], series, false)).toEqual([{ x: 2, label: "k" }]);
    expect(layerMarkerPositions([{ layer: 2, label: "k" }], series, true)).toEqual([{ x: 0.5, label: "k" }]);
  });
});
