import type { Metadata } from "next";
import { CreateTeamForm } from "./create-team-form.tsx";

export const metadata: Metadata = { title: "New team" };

export default function NewTeamPage() {
  return (
    <div className="mx-auto max-w-md">
      <CreateTeamForm />
    </div>
  );
}
