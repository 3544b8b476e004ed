/**
 * Errors of the internal-policy probe. A {@link ProbeInputError} is bad input (a missing checkpoint, a malformed
 * dataset row, an id outside the vocabulary): the CLI reports it as a usage error (exit 2), the trainer service
 * as a failed job. Aborts raise {@link ProbeAbortedError} between stages.
 */

/** Bad input; the message names the file, row or id at fault. */
export class ProbeInputError extends Error {
  override name = "ProbeInputError";
}

/** The caller's AbortSignal fired; thrown between stages (model load, sampling chunks, analysis chunks). */
export class ProbeAbortedError extends Error {
  override name = "ProbeAbortedError";
}

/** Throws {@link ProbeAbortedError} when `signal` is aborted. */
export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ProbeAbortedError("analysis aborted");
}

/** `${context}: ${message}` of a caught error, as a {@link ProbeInputError}. */
export function inputError(context: string, cause: unknown): ProbeInputError {
  return new ProbeInputError(`${context}: ${cause instanceof Error ? cause.message : String(cause)}`);
}
