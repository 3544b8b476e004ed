import { z } from "zod";
import { IdSchema } from "./auth.ts";
import { plainText } from "./schema-helpers.ts";

export const TEAM_ROLES = ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const;
export const TeamRoleSchema = z.enum(TEAM_ROLES, { error: `role must be one of ${TEAM_ROLES.join(", ")}` });
export type TeamRole = z.infer<typeof TeamRoleSchema>;

/** Higher rank = more rights. OWNER ⊃ ADMIN ⊃ MEMBER ⊃ VIEWER. */
export const ROLE_RANK: Record<TeamRole, number> = { OWNER: 3, ADMIN: 2, MEMBER: 1, VIEWER: 0 };
export const hasRole = (role: TeamRole, atLeast: TeamRole) => ROLE_RANK[role] >= ROLE_RANK[atLeast];

export const ROLE_HELP: Record<TeamRole, string> = {
  OWNER: "Everything, including managing owners",
  ADMIN: "Manage members, invitations and all runs",
  MEMBER: "Launch and manage own runs",
  VIEWER: "Read-only access to runs",
};

export const TeamNameSchema = plainText(
  z.string().trim().min(1, "team name is required").max(80, "team name must be at most 80 characters"),
);

export const TeamIdInputSchema = z.object({ teamId: IdSchema });
export const CreateTeamInputSchema = z.object({ name: TeamNameSchema });

export const INVITE_TTL_HOURS = { min: 1, max: 24 * 30, default: 72 } as const;
export const CreateInvitationInputSchema = z.object({
  teamId: IdSchema,
  role: TeamRoleSchema.default("MEMBER"),
  expiresInHours: z
    .number({ error: "expiresInHours must be a number" })
    .int("expiresInHours must be a whole number")
    .min(
      INVITE_TTL_HOURS.min,
      `expiresInHours must be between ${INVITE_TTL_HOURS.min} and ${INVITE_TTL_HOURS.max}`,
    )
    .max(
      INVITE_TTL_HOURS.max,
      `expiresInHours must be between ${INVITE_TTL_HOURS.min} and ${INVITE_TTL_HOURS.max}`,
    )
    .default(INVITE_TTL_HOURS.default),
});
export type CreateInvitationInput = z.input<typeof CreateInvitationInputSchema>;

export const InvitationTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{20,100}$/, "invitation token is malformed");
export const InvitationTokenInputSchema = z.object({ token: InvitationTokenSchema });
export const InvitationIdInputSchema = z.object({ teamId: IdSchema, invitationId: IdSchema });

export const ChangeRoleInputSchema = z.object({ teamId: IdSchema, userId: IdSchema, role: TeamRoleSchema });
export const RemoveMemberInputSchema = z.object({ teamId: IdSchema, userId: IdSchema });
