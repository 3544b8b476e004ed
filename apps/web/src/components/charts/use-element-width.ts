"use client";

import { type RefObject, useEffect, useRef, useState } from "react";

/**
 * Tracks an element's content-box width with a ResizeObserver (rounded to whole CSS pixels so sub-pixel
 * jitter does not re-render). Width is 0 until the element is mounted and measured.
 */
export function useElementWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = (w: number) => setWidth((prev) => (Math.round(w) === prev ? prev : Math.round(w)));
    update(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry) update(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
