import { SignInInputSchema } from "@bupo/shared/auth";
import { signIn } from "../../../services/auth-service.ts";
import { publicProcedure } from "../../trpc.ts";

export const signInRoute = publicProcedure.input(SignInInputSchema).mutation(async ({ ctx, input }) => {
  const { user, session } = await signIn(ctx.prisma, input, ctx.meta, ctx.auth);
  ctx.setSessionCookie(session.token, ctx.auth.sessionTtlDays * 86_400);
  return user;
});
