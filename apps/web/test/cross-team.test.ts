import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHarness } from "./harness.ts";

// A user of team A must not read or change anything of team B: NOT_FOUND (existence not revealed), no data.
let h: Awaited<ReturnType<typeof openHarness>>;
const twoPresets = {
  models: [
    { source: "preset" as const, family: "qwen3" as const, preset: "tiny" as const },
    { source: "preset" as const, family: "llama" as const, preset: "tiny" as const },
  ],
};
const math500 = { root: "builtin" as const, path: "datasets/math500.parquet" };
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.db.drop());

describe("team isolation", () => {
  it("refuses every team procedure on a foreign team and leaks nothing", async () => {
    const alice = await h.user("Alice");
    const teamA = await alice.api((a) => a.team.create({ name: "Team A" }));
    const bob = await h.user("Bob");
    const teamB = await bob.api((a) => a.team.create({ name: "Secret Team B" }));
    const invB = await bob.api((a) => a.team.invitation.create({ teamId: teamB.id }));
    const before = {
      memberships: await h.db.prisma.membership.count(),
      invitations: await h.db.prisma.invitation.count(),
      bobActive: (await h.db.prisma.user.findUniqueOrThrow({ where: { id: bob.user.id } })).activeTeamId,
    };
    const teamId = teamB.id;
    const attempts: [string, () => Promise<unknown>][] = [
      ["get", () => alice.api((a) => a.team.get({ teamId }))],
      ["switch", () => alice.api((a) => a.team.switch({ teamId }))],
      ["leave", () => alice.api((a) => a.team.leave({ teamId }))],
      [
        "changeRole",
        () => alice.api((a) => a.team.changeRole({ teamId, userId: bob.user.id, role: "VIEWER" })),
      ],
      ["removeMember", () => alice.api((a) => a.team.removeMember({ teamId, userId: bob.user.id }))],
      ["invitation.create", () => alice.api((a) => a.team.invitation.create({ teamId }))],
      ["invitation.list", () => alice.api((a) => a.team.invitation.list({ teamId }))],
      [
        "invitation.revoke",
        () => alice.api((a) => a.team.invitation.revoke({ teamId, invitationId: invB.id })),
      ],
      ["run.list", () => alice.api((a) => a.run.list({ teamId }))],
      ["run.compareModels", () => alice.api((a) => a.run.compareModels({ teamId, comparison: twoPresets }))],
      ["library.models", () => alice.api((a) => a.library.models({ teamId }))],
      ["library.datasets", () => alice.api((a) => a.library.datasets({ teamId }))],
      ["library.previewDataset", () => alice.api((a) => a.library.previewDataset({ teamId, ref: math500 }))],
      ["library.rescan", () => alice.api((a) => a.library.rescan({ teamId }))],
      // Alice acting in her own team on Bob's ids must not reach them either.
      [
        "changeRole via own team",
        () => alice.api((a) => a.team.changeRole({ teamId: teamA.id, userId: bob.user.id, role: "VIEWER" })),
      ],
      [
        "revoke via own team",
        () => alice.api((a) => a.team.invitation.revoke({ teamId: teamA.id, invitationId: invB.id })),
      ],
    ];
    for (const [name, call] of attempts) {
      const err = await call().then(
        (v) => ({ leaked: v }),
        (e: { code?: string; message?: string }) => e,
      );
      expect(err, name).toMatchObject({ code: "NOT_FOUND" });
      expect(JSON.stringify(err), name).not.toContain("Secret Team B");
    }
    expect(await h.db.prisma.membership.count()).toBe(before.memberships);
    expect(await h.db.prisma.invitation.count()).toBe(before.invitations);
    expect(await h.db.prisma.invitation.count({ where: { revokedAt: { not: null } } })).toBe(0);
    expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: bob.user.id } })).activeTeamId).toBe(
      before.bobActive,
    );
    expect((await alice.api((a) => a.team.list())).teams.map((t) => t.id)).toEqual([teamA.id]);
  });

  it("refuses anonymous callers with UNAUTHORIZED", async () => {
    const owner = await h.user("Owner");
    const team = await owner.api((a) => a.team.create({ name: "Closed" }));
    const anon = h.client();
    await expect(anon.api((a) => a.team.get({ teamId: team.id }))).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(anon.api((a) => a.run.list({ teamId: team.id }))).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(anon.api((a) => a.team.create({ name: "x" }))).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    const teamId = team.id;
    const added: [string, () => Promise<unknown>][] = [
      ["run.compareModels", () => anon.api((a) => a.run.compareModels({ teamId, comparison: twoPresets }))],
      ["library.models", () => anon.api((a) => a.library.models({ teamId }))],
      ["library.datasets", () => anon.api((a) => a.library.datasets({ teamId }))],
      ["library.previewDataset", () => anon.api((a) => a.library.previewDataset({ teamId, ref: math500 }))],
      ["library.rescan", () => anon.api((a) => a.library.rescan({ teamId }))],
    ];
    for (const [name, call] of added) {
      await expect(call(), name).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
  });
});
