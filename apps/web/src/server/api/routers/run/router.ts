import { router } from "../../trpc.ts";
import { cancelRunRoute } from "./cancel-run.ts";
import { createRunRoute } from "./create-run.ts";
import { getRunRoute } from "./get-run.ts";
import { listRunsRoute } from "./list-runs.ts";

export const runRouter = router({
  list: listRunsRoute,
  get: getRunRoute,
  create: createRunRoute,
  cancel: cancelRunRoute,
});
