import { router } from "../../trpc.ts";
import { acceptInvitationRoute } from "./accept-invitation.ts";
import { changeRoleRoute } from "./change-role.ts";
import { createInvitationRoute } from "./create-invitation.ts";
import { createTeamRoute } from "./create-team.ts";
import { getTeamRoute } from "./get-team.ts";
import { leaveTeamRoute } from "./leave-team.ts";
import { listInvitationsRoute } from "./list-invitations.ts";
import { listTeamsRoute } from "./list-teams.ts";
import { previewInvitationRoute } from "./preview-invitation.ts";
import { removeMemberRoute } from "./remove-member.ts";
import { revokeInvitationRoute } from "./revoke-invitation.ts";
import { switchTeamRoute } from "./switch-team.ts";

export const teamRouter = router({
  create: createTeamRoute,
  list: listTeamsRoute,
  get: getTeamRoute,
  switch: switchTeamRoute,
  leave: leaveTeamRoute,
  changeRole: changeRoleRoute,
  removeMember: removeMemberRoute,
  invitation: router({
    create: createInvitationRoute,
    list: listInvitationsRoute,
    revoke: revokeInvitationRoute,
    preview: previewInvitationRoute,
    accept: acceptInvitationRoute,
  }),
});
