import type { PrismaClient } from "../generated/client/client.ts";
import { hashPassword } from "../src/password.ts";

export interface SeedUser {
  email: string;
  name: string;
  password: string;
}

/** Creates the user if the e-mail is free; returns its id either way (idempotent). */
export async function seedUser(prisma: PrismaClient, user: SeedUser): Promise<string> {
  const existing = await prisma.user.findUnique({ where: { email: user.email }, select: { id: true } });
  if (existing) return existing.id;
  const created = await prisma.user.create({
    data: { email: user.email, name: user.name, passwordHash: await hashPassword(user.password) },
  });
  return created.id;
}
