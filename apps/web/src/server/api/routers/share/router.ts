import { router } from "../../trpc.ts";
import { createShareRoute, listSharesRoute, revokeShareRoute } from "./manage-links.ts";
import {
  resolveShareRoute,
  sharedLayerMatrixRoute,
  sharedLayerProfileRoute,
  sharedLogitLensRoute,
  sharedSeriesRoute,
} from "./read-shared.ts";

export const shareRouter = router({
  create: createShareRoute,
  list: listSharesRoute,
  revoke: revokeShareRoute,
  resolve: resolveShareRoute,
  series: sharedSeriesRoute,
  layerMatrix: sharedLayerMatrixRoute,
  layerProfile: sharedLayerProfileRoute,
  logitLens: sharedLogitLensRoute,
});
