import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center">
          <p className="text-2xl font-semibold tracking-tight">BuPO Studio</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Policies, studied from the inside.</p>
        </div>
        {children}
      </div>
    </main>
  );
}
