import { RunConfigSchema } from "@bupo/shared/run-config";
import type { TeamRole } from "@bupo/shared/team";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHarness } from "./harness.ts";

// Run-level authorization: every run route is built on a run procedure (checked access in the context), so a
// run of another team is NOT_FOUND everywhere; "manage own runs": members cancel only the runs they launched.
let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h.db.drop());

type User = Awaited<ReturnType<typeof h.user>>;

async function teamWith(roles: TeamRole[]) {
  const owner = await h.user("Owner");
  const team = await owner.api((a) => a.team.create({ name: "Runs Lab" }));
  const members: User[] = [];
  for (const role of roles) {
    const inv = await owner.api((a) => a.team.invitation.create({ teamId: team.id, role }));
    const u = await h.user(role);
    await u.api((a) => a.team.invitation.accept({ token: inv.token }));
    members.push(u);
  }
  return { owner, team, members };
}

/** A queued run launched by `creatorId` (written directly: this harness has no scheduler to launch with). */
async function queuedRun(teamId: string, creatorId: string) {
  const config = RunConfigSchema.parse({});
  return h.db.prisma.run.create({
    data: {
      teamId,
      creatorId,
      name: "queued",
      kind: "TRAIN",
      algorithm: "BUPO",
      modelFamily: "QWEN3",
      config,
      totalSteps: config.rl.totalSteps,
    },
  });
}

const statusOf = async (id: string) => (await h.db.prisma.run.findUniqueOrThrow({ where: { id } })).status;

describe("cancelling runs", () => {
  it("members cancel their own runs only; admins and owners any run; viewers none", async () => {
    const { owner, team, members } = await teamWith(["MEMBER", "MEMBER", "ADMIN", "VIEWER"]);
    const [mia, max, ann, vic] = members as [User, User, User, User];
    const [first, second, third] = [
      await queuedRun(team.id, mia.user.id),
      await queuedRun(team.id, mia.user.id),
      await queuedRun(team.id, mia.user.id),
    ];

    expect(await max.api((a) => a.run.get({ runId: first.id }))).toMatchObject({
      myRole: "MEMBER",
      mayManage: false,
    });
    expect(await mia.api((a) => a.run.get({ runId: first.id }))).toMatchObject({ mayManage: true });
    expect(await ann.api((a) => a.run.get({ runId: first.id }))).toMatchObject({ mayManage: true });

    await expect(max.api((a) => a.run.cancel({ runId: first.id }))).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("only the runs they launched"),
    });
    await expect(vic.api((a) => a.run.cancel({ runId: first.id }))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await statusOf(first.id)).toBe("QUEUED");
    expect(await h.db.prisma.run.count({ where: { cancelRequestedAt: { not: null } } })).toBe(0);

    expect(await mia.api((a) => a.run.cancel({ runId: first.id }))).toEqual({ status: "cancelled" });
    expect(await ann.api((a) => a.run.cancel({ runId: second.id }))).toEqual({ status: "cancelled" });
    expect(await owner.api((a) => a.run.cancel({ runId: third.id }))).toEqual({ status: "cancelled" });
    for (const r of [first, second, third]) expect(await statusOf(r.id)).toBe("CANCELLED");
  });
});

describe("run routes of another team", () => {
  it("answer NOT_FOUND on every run route, the same as for a missing run", async () => {
    const { owner, team } = await teamWith([]);
    const run = await queuedRun(team.id, owner.user.id);
    const stranger = await h.user("Stranger");
    await stranger.api((a) => a.team.create({ name: "Elsewhere" }));
    for (const runId of [run.id, "no-such-run"]) {
      const calls: [string, () => Promise<unknown>][] = [
        ["get", () => stranger.api((a) => a.run.get({ runId }))],
        ["cancel", () => stranger.api((a) => a.run.cancel({ runId }))],
        ["compare", () => stranger.api((a) => a.run.compare({ runIds: [runId] }))],
        ["series", () => stranger.api((a) => a.run.series({ runId, keys: ["actor/entropy"] }))],
        ["layerMatrix", () => stranger.api((a) => a.run.layerMatrix({ runId }))],
        ["layerProfile", () => stranger.api((a) => a.run.layerProfile({ runId }))],
        ["logitLens", () => stranger.api((a) => a.run.logitLens({ runId }))],
      ];
      for (const [name, call] of calls)
        await expect(call(), name).rejects.toMatchObject({ code: "NOT_FOUND", message: "Run not found" });
    }
    expect(await statusOf(run.id)).toBe("QUEUED");
  });
});
