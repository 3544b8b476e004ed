import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { authRouter } from "./routers/auth/router.ts";
import { libraryRouter } from "./routers/library/router.ts";
import { runRouter } from "./routers/run/router.ts";
import { shareRouter } from "./routers/share/router.ts";
import { teamRouter } from "./routers/team/router.ts";
import { createCallerFactory, router } from "./trpc.ts";

export const appRouter = router({
  auth: authRouter,
  team: teamRouter,
  run: runRouter,
  share: shareRouter,
  library: libraryRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
