import type { Metadata } from "next";
import { Suspense } from "react";
import { CompareModelsForm } from "./compare-models-form.tsx";

export const metadata: Metadata = { title: "Compare models" };

export default function CompareModelsPage() {
  return (
    <Suspense>
      <CompareModelsForm />
    </Suspense>
  );
}
