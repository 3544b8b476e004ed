import type { Metadata } from "next";
import { TeamSettings } from "./team-settings.tsx";

export const metadata: Metadata = { title: "Team settings" };

export default function TeamPage() {
  return <TeamSettings />;
}
