import { SignUpInputSchema } from "@bupo/shared/auth";
import { signUp } from "../../../services/auth-service.ts";
import { publicProcedure } from "../../trpc.ts";

export const signUpRoute = publicProcedure.input(SignUpInputSchema).mutation(async ({ ctx, input }) => {
  const { user, session } = await signUp(ctx.prisma, input, ctx.meta, ctx.auth);
  ctx.setSessionCookie(session.token, ctx.auth.sessionTtlDays * 86_400);
  return user;
});
