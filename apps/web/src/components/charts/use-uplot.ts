"use client";

/**
 * Owns one uPlot instance for a React component. The plot is created once per `structureKey` (series set,
 * scale type, theme) and otherwise only fed new data with setData and new sizes with setSize, so live
 * updates and container resizes never rebuild the canvas.
 */
import { type RefObject, useEffect, useRef } from "react";
import uPlot from "uplot";

export interface UseUplotArgs {
  /** Element uPlot mounts into. */
  containerRef: RefObject<HTMLElement | null>;
  /** Options for a new plot; read only when (re)creating. */
  makeOptions: (width: number, height: number) => uPlot.Options;
  data: uPlot.AlignedData;
  /** Changing this key destroys and re-creates the plot; data and size changes never do. */
  structureKey: string;
  width: number;
  height: number;
  /** Called after creation and after every setData, e.g. to re-apply a zoom window. */
  onData?: (plot: uPlot) => void;
}

export function useUplot(args: UseUplotArgs): RefObject<uPlot | null> {
  const { containerRef, data, structureKey, width, height } = args;
  const plotRef = useRef<uPlot | null>(null);
  const appliedData = useRef<uPlot.AlignedData | null>(null);
  const latest = useRef(args);
  useEffect(() => {
    latest.current = args;
  });
  const ready = width > 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-create only when the structure changes; the rest is read from `latest`.
  useEffect(() => {
    const element = containerRef.current;
    if (!ready || !element) return;
    const current = latest.current;
    const plot = new uPlot(current.makeOptions(current.width, current.height), current.data, element);
    plotRef.current = plot;
    appliedData.current = current.data;
    current.onData?.(plot);
    return () => {
      plot.destroy();
      plotRef.current = null;
    };
  }, [structureKey, ready, containerRef]);

  useEffect(() => {
    const plot = plotRef.current;
    if (!plot || appliedData.current === data) return;
    plot.setData(data);
    appliedData.current = data;
    latest.current.onData?.(plot);
  }, [data]);

  useEffect(() => {
    const plot = plotRef.current;
    if (plot && width > 0 && (plot.width !== width || plot.height !== height))
      plot.setSize({ width, height });
  }, [width, height]);

  return plotRef;
}
