"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { Button } from "../../../components/ui/button.tsx";
import { useTRPC } from "../../../trpc/react.tsx";
import { TeamSwitcher } from "./team-switcher.tsx";

const NAV = [
  { href: "/runs", label: "Runs" },
  { href: "/team", label: "Team settings" },
];

export function AppHeader({ userName, userEmail }: { userName: string; userEmail: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: () => {
        router.push("/login");
        router.refresh();
      },
    }),
  );
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/runs" className="text-base font-semibold tracking-tight">
          BuPO Studio
        </Link>
        <TeamSwitcher />
        <nav aria-label="Main" className="flex gap-1">
          {NAV.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              aria-current={pathname.startsWith(item.href) ? "page" : undefined}
              className="rounded-md px-2 py-1 text-sm text-zinc-700 hover:bg-zinc-100 aria-[current=page]:bg-zinc-100 aria-[current=page]:font-medium dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-[current=page]:bg-zinc-800"
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <span className="hidden text-sm text-zinc-600 sm:inline dark:text-zinc-400" title={userEmail}>
            {userName}
          </span>
          <Button variant="secondary" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            Log out
          </Button>
        </div>
      </div>
    </header>
  );
}
