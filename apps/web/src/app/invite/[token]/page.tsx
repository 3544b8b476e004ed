import type { Metadata } from "next";
import { getCurrentSession } from "../../../server/auth/current-session.ts";
import { AcceptInvitation } from "./accept-invitation.tsx";

export const metadata: Metadata = { title: "Join a team" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const session = await getCurrentSession();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-md">
        <AcceptInvitation token={token} signedInAs={session?.user.email ?? null} />
      </div>
    </main>
  );
}
