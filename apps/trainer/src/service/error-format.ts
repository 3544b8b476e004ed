/**
 * What the trainer's API tells a caller about an error: code, HTTP status, procedure path and, for expected
 * errors, their message. Never a stack (tRPC adds one outside production) and never an internal error's
 * message, which may quote absolute paths: those go to the trainer's log (trainer-service `onError`).
 */
import type { TRPCDefaultErrorShape, TRPCError } from "@trpc/server";

export const INTERNAL_ERROR_MESSAGE = "Internal trainer error; see the trainer's log.";

export function formatTrainerError({
  shape,
  error,
}: {
  shape: TRPCDefaultErrorShape;
  error: TRPCError;
}): TRPCDefaultErrorShape {
  const internal = error.code === "INTERNAL_SERVER_ERROR";
  return {
    ...shape,
    message: internal ? INTERNAL_ERROR_MESSAGE : shape.message,
    data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path },
  };
}
