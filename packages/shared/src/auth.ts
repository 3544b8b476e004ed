import { z } from "zod";
import { plainText } from "./schema-helpers.ts";

/** Lower-cased, trimmed e-mail; the one spelling stored and compared. */
export const EmailSchema = z
  .string()
  .trim()
  .min(3, "email is required")
  .max(254, "email must be at most 254 characters")
  .pipe(z.email("email must be a valid address, like ada@example.com"))
  .transform((e) => e.toLowerCase());

export const PasswordSchema = z
  .string()
  .min(8, "password must be 8 to 128 characters")
  .max(128, "password must be 8 to 128 characters");

export const DisplayNameSchema = plainText(
  z.string().trim().min(1, "name is required").max(80, "name must be at most 80 characters"),
);

export const SignUpInputSchema = z.object({
  email: EmailSchema,
  password: PasswordSchema,
  name: DisplayNameSchema,
});
export type SignUpInput = z.input<typeof SignUpInputSchema>;

export const SignInInputSchema = z.object({
  email: EmailSchema,
  // No length rule on sign-in beyond a sane cap: a wrong password is just wrong.
  password: z.string().min(1, "password is required").max(128, "password must be at most 128 characters"),
});
export type SignInInput = z.input<typeof SignInInputSchema>;

export const IdSchema = plainText(
  z.string().min(1, "id is required").max(64, "id must be at most 64 characters"),
);
export const RevokeSessionInputSchema = z.object({ sessionId: IdSchema });
