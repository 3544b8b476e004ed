import { router } from "../../trpc.ts";
import { cancelRunRoute } from "./cancel-run.ts";
import { compareModelsRoute } from "./compare-models.ts";
import { compareRunsRoute } from "./compare-runs.ts";
import { createRunRoute } from "./create-run.ts";
import { getRunRoute } from "./get-run.ts";
import { listRunsRoute } from "./list-runs.ts";
import { logitLensRoute } from "./logit-lens.ts";
import { layerMatrixRoute, layerProfileRoute, seriesRoute } from "./series.ts";

export const runRouter = router({
  list: listRunsRoute,
  get: getRunRoute,
  create: createRunRoute,
  cancel: cancelRunRoute,
  compare: compareRunsRoute,
  compareModels: compareModelsRoute,
  series: seriesRoute,
  layerMatrix: layerMatrixRoute,
  layerProfile: layerProfileRoute,
  logitLens: logitLensRoute,
});
