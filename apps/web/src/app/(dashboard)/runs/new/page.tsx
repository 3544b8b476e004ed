import type { Metadata } from "next";
import { Suspense } from "react";
import { LaunchForm } from "./launch-form.tsx";

export const metadata: Metadata = { title: "New run" };

export default function NewRunPage() {
  return (
    <Suspense>
      <LaunchForm />
    </Suspense>
  );
}
