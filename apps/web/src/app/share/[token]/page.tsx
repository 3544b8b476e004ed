import type { Metadata } from "next";
import { SharedView } from "./shared-view.tsx";

export const metadata: Metadata = { title: "Shared run", robots: { index: false } };

export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <div className="min-h-screen">
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-6xl items-center gap-3 px-4 py-3 sm:px-6">
          <span className="font-semibold">BuPO Studio</span>
          <span className="rounded bg-zinc-100 px-2 py-0.5 text-xs dark:bg-zinc-800">shared · read-only</span>
        </div>
      </header>
      <main className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6">
        <SharedView token={token} />
      </main>
    </div>
  );
}
