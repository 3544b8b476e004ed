import { router } from "../../trpc.ts";
import { listSessionsRoute } from "./list-sessions.ts";
import { meRoute } from "./me.ts";
import { revokeSessionRoute } from "./revoke-session.ts";
import { signInRoute } from "./sign-in.ts";
import { signOutRoute } from "./sign-out.ts";
import { signUpRoute } from "./sign-up.ts";

export const authRouter = router({
  signUp: signUpRoute,
  signIn: signInRoute,
  signOut: signOutRoute,
  me: meRoute,
  listSessions: listSessionsRoute,
  revokeSession: revokeSessionRoute,
});
