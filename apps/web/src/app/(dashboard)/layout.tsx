import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getCurrentSession } from "../../server/auth/current-session.ts";
import { AppHeader } from "./_components/app-header.tsx";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await getCurrentSession();
  if (!session) {
    const path = (await headers()).get("x-bupo-path") ?? "/runs";
    redirect(`/login?next=${encodeURIComponent(path)}`);
  }
  return (
    <div className="min-h-screen">
      <AppHeader userName={session.user.name} userEmail={session.user.email} />
      <main className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6">{children}</main>
    </div>
  );
}
