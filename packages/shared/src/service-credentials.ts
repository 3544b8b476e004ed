/**
 * Service credentials shared by web and trainer (server-side only: uses node:crypto). One fail-closed check
 * for the shared service token and for per-trainer credentials: nothing configured never authorizes, and
 * the comparison takes the same time whatever the inputs (both sides are hashed to equal length first).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** True only when a non-empty secret is configured and `given` equals it; constant-time. */
export function secretMatches(given: unknown, expected: string | null | undefined): boolean {
  if (typeof expected !== "string" || expected.length === 0) return false;
  if (typeof given !== "string" || given.length === 0) return false;
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** The token of an `Authorization: Bearer <token>` header (undefined when absent or another scheme). */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer (\S+)$/.exec(header ?? "");
  return m?.[1];
}

/** A fresh random credential (256 bits, base64url). */
export const newCredential = (): string => randomBytes(32).toString("base64url");

/** What the web stores of a trainer's credential: its SHA-256, hex. */
export const credentialHash = (credential: string): string => sha256(credential).toString("hex");

/** A presented credential against a stored hash; fail-closed when nothing is stored. */
export function credentialMatches(given: unknown, storedHash: string | null | undefined): boolean {
  if (typeof given !== "string" || given.length === 0 || !storedHash) return false;
  return secretMatches(credentialHash(given), storedHash);
}
