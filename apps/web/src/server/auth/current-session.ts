import { cookies } from "next/headers";
import { getPrisma } from "../db.ts";
import { findSession } from "../services/session-service.ts";
import { SESSION_COOKIE } from "./cookies.ts";

/** The signed-in session for a server component, or null. */
export async function getCurrentSession() {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return findSession(await getPrisma(), token);
}
