import { router } from "../../trpc.ts";
import { listRunsRoute } from "./list-runs.ts";

export const runRouter = router({ list: listRunsRoute });
