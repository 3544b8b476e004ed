import { publicProcedure } from "../../trpc.ts";

/** The signed-in user, or null. */
export const meRoute = publicProcedure.query(({ ctx }) => ctx.session?.user ?? null);
