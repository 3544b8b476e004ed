import { createHash, randomBytes } from "node:crypto";

/** A URL-safe random secret (32 bytes → 43 characters). Only its hash is ever stored. */
export const newSecretToken = (): string => randomBytes(32).toString("base64url");

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");
