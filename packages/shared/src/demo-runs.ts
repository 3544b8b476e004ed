/**
 * How the demo team's first runs are marked (issue 12): the server queues them on a first `npm start`, the
 * runs page says so while they compute.
 */
export const DEMO_RUN_TAG = "demo";
export const DEMO_NAME_PREFIX = "Demo · ";
