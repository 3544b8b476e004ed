import type { Metadata } from "next";
import { Suspense } from "react";
import { ComparePage } from "./compare-page.tsx";

export const metadata: Metadata = { title: "Compare runs" };

export default function CompareRoute() {
  return (
    <Suspense>
      <ComparePage />
    </Suspense>
  );
}
