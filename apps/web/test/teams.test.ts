import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHarness } from "./harness.ts";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.db.drop());

const tokenOf = (path: string) => path.split("/").pop()!;

describe("teams", () => {
  it("creates a team owned by its creator, lists it and makes it active", async () => {
    const owner = await h.user("Owner");
    const team = await owner.api((a) => a.team.create({ name: "  Interp Lab " }));
    expect(team.name).toBe("Interp Lab");
    const { teams, activeTeamId } = await owner.api((a) => a.team.list());
    expect(teams).toEqual([{ id: team.id, name: "Interp Lab", role: "OWNER" }]);
    expect(activeTeamId).toBe(team.id);
    const detail = await owner.api((a) => a.team.get({ teamId: team.id }));
    expect(detail.members.map((m) => [m.name, m.role])).toEqual([["Owner", "OWNER"]]);
  });

  it("switches the active team among the user's teams", async () => {
    const u = await h.user("Switcher");
    const a = await u.api((api) => api.team.create({ name: "A" }));
    const b = await u.api((api) => api.team.create({ name: "B" }));
    expect((await u.api((api) => api.team.list())).activeTeamId).toBe(b.id);
    await u.api((api) => api.team.switch({ teamId: a.id }));
    expect((await u.api((api) => api.auth.me()))?.activeTeamId).toBe(a.id);
  });
});

describe("invitations", () => {
  it("invite link → accept → member with the invited role; the link is single-use", async () => {
    const owner = await h.user("Inviter");
    const team = await owner.api((a) => a.team.create({ name: "Invite Team" }));
    const inv = await owner.api((a) => a.team.invitation.create({ teamId: team.id, role: "VIEWER" }));
    expect(inv.path).toMatch(/^\/invite\/[\w-]{43}$/);
    const anon = h.client();
    expect(await anon.api((a) => a.team.invitation.preview({ token: inv.token }))).toMatchObject({
      teamName: "Invite Team",
      role: "VIEWER",
      state: "pending",
    });
    const joiner = await h.user("Joiner");
    expect(await joiner.api((a) => a.team.invitation.accept({ token: tokenOf(inv.path) }))).toEqual({
      teamId: team.id,
      role: "VIEWER",
    });
    const members = (await owner.api((a) => a.team.get({ teamId: team.id }))).members;
    expect(members.map((m) => [m.name, m.role])).toEqual([
      ["Inviter", "OWNER"],
      ["Joiner", "VIEWER"],
    ]);
    const third = await h.user("Latecomer");
    await expect(third.api((a) => a.team.invitation.accept({ token: inv.token }))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("already been used"),
    });
    expect(await h.db.prisma.membership.count({ where: { teamId: team.id } })).toBe(2);
    const listed = await owner.api((a) => a.team.invitation.list({ teamId: team.id }));
    expect(listed[0]).toMatchObject({ state: "accepted", acceptedBy: { name: "Joiner" } });
  });

  it("refuses an expired invitation and a revoked one", async () => {
    const owner = await h.user("Expirer");
    const team = await owner.api((a) => a.team.create({ name: "Expiry" }));
    const inv = await owner.api((a) => a.team.invitation.create({ teamId: team.id, expiresInHours: 1 }));
    await h.db.prisma.invitation.update({
      where: { id: inv.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const joiner = await h.user("Too Late");
    await expect(joiner.api((a) => a.team.invitation.accept({ token: inv.token }))).rejects.toMatchObject({
      message: expect.stringContaining("expired"),
    });
    const inv2 = await owner.api((a) => a.team.invitation.create({ teamId: team.id }));
    await owner.api((a) => a.team.invitation.revoke({ teamId: team.id, invitationId: inv2.id }));
    await expect(joiner.api((a) => a.team.invitation.accept({ token: inv2.token }))).rejects.toMatchObject({
      message: expect.stringContaining("revoked"),
    });
    expect(await h.db.prisma.membership.count({ where: { teamId: team.id } })).toBe(1);
  });

  it("lets exactly one of two concurrent accepts win", async () => {
    const owner = await h.user("Racer Owner");
    const team = await owner.api((a) => a.team.create({ name: "Race" }));
    const inv = await owner.api((a) => a.team.invitation.create({ teamId: team.id }));
    const [x, y] = [await h.user("Racer X"), await h.user("Racer Y")];
    const results = await Promise.allSettled([
      x.api((a) => a.team.invitation.accept({ token: inv.token })),
      y.api((a) => a.team.invitation.accept({ token: inv.token })),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await h.db.prisma.membership.count({ where: { teamId: team.id } })).toBe(2);
  });
});

describe("roles and membership", () => {
  async function teamWith() {
    const owner = await h.user("Boss");
    const team = await owner.api((a) => a.team.create({ name: "Roles" }));
    const join = async (name: string, role: "ADMIN" | "MEMBER" | "VIEWER") => {
      const inv = await owner.api((a) => a.team.invitation.create({ teamId: team.id, role }));
      const u = await h.user(name);
      await u.api((a) => a.team.invitation.accept({ token: inv.token }));
      return u;
    };
    return { owner, team, admin: await join("Admin", "ADMIN"), member: await join("Member", "MEMBER") };
  }

  it("owner changes a role; the new role shows in the member list", async () => {
    const { owner, team, member } = await teamWith();
    await owner.api((a) => a.team.changeRole({ teamId: team.id, userId: member.user.id, role: "ADMIN" }));
    const m = (await owner.api((a) => a.team.get({ teamId: team.id }))).members.find(
      (x) => x.id === member.user.id,
    );
    expect(m?.role).toBe("ADMIN");
  });

  it("a member cannot call admin-only procedures (FORBIDDEN), and nothing changes", async () => {
    const { team, member, admin } = await teamWith();
    const calls = [
      member.api((a) => a.team.invitation.create({ teamId: team.id })),
      member.api((a) => a.team.invitation.list({ teamId: team.id })),
      member.api((a) => a.team.changeRole({ teamId: team.id, userId: member.user.id, role: "OWNER" })),
      member.api((a) => a.team.removeMember({ teamId: team.id, userId: admin.user.id })),
    ];
    for (const r of await Promise.allSettled(calls)) {
      expect(r.status).toBe("rejected");
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await h.db.prisma.invitation.count({ where: { teamId: team.id } })).toBe(2);
    expect(await h.db.prisma.membership.count({ where: { teamId: team.id } })).toBe(3);
  });

  it("an admin cannot grant OWNER, invite owners or touch the owner", async () => {
    const { owner, team, admin, member } = await teamWith();
    await expect(
      admin.api((a) => a.team.changeRole({ teamId: team.id, userId: member.user.id, role: "OWNER" })),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      admin.api((a) => a.team.invitation.create({ teamId: team.id, role: "OWNER" })),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      admin.api((a) => a.team.removeMember({ teamId: team.id, userId: owner.user.id })),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // An admin may remove a plain member.
    await admin.api((a) => a.team.removeMember({ teamId: team.id, userId: member.user.id }));
    await expect(member.api((a) => a.team.get({ teamId: team.id }))).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("the last owner can neither leave nor be demoted; others can leave", async () => {
    const { owner, team, member } = await teamWith();
    await expect(owner.api((a) => a.team.leave({ teamId: team.id }))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("last owner"),
    });
    await expect(
      owner.api((a) => a.team.changeRole({ teamId: team.id, userId: owner.user.id, role: "MEMBER" })),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await member.api((a) => a.team.leave({ teamId: team.id }));
    expect((await member.api((a) => a.team.list())).teams).toEqual([]);
    expect((await member.api((a) => a.auth.me()))?.activeTeamId).toBeNull();
  });
});
