import { hash, verify } from "@node-rs/argon2";

// argon2id (the library's default algorithm) with OWASP's minimum memory/time settings.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password as an argon2id PHC string — the only form stored in User.passwordHash. */
export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

/** Constant-time check of a password against a stored PHC string; false on a malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
