import { describe, expect, it } from "vitest";
import { httpApi, RunWatcher, waitFor } from "./clients.ts";
import { tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { hasPostgres, redisAvailable } from "./processes.ts";
import { twoWebsAndTrainer } from "./stack.ts";

// Live sockets follow sessions and memberships across two web processes joined by the Redis adapter: a
// socket watching a run on one process is disconnected when its session is revoked or signed out on the
// other, and taken out of the run's room when its user is removed from the team; a demoted member who may
// still read keeps receiving.
const redisUp = await redisAvailable();

const PASSWORD = "pipeline-password";

/** A second browser of an existing user, signed in on `url`. */
async function signedIn(url: string, email: string) {
  const api = httpApi(url);
  await api.client.auth.signIn.mutate({ email, password: PASSWORD });
  return api;
}

describe.skipIf(!redisUp || !hasPostgres)(
  "sockets follow sessions and memberships (two web processes)",
  () => {
    const stack = twoWebsAndTrainer();

    it("disconnects on revocation and sign-out, evicts on removal, keeps a demoted reader", async () => {
      const [a, b] = stack.webs;
      const owner = await userWithTeam(a.url);
      const teamId = owner.team.id;
      const join = async () => {
        const user = await userWithTeam(a.url);
        const inv = await owner.client.team.invitation.create.mutate({ teamId, role: "MEMBER" });
        await user.client.team.invitation.accept.mutate({ token: inv.token });
        return user;
      };
      const removed = await join();
      const demoted = await join();
      const twoSessions = await join();
      const laptop = await signedIn(a.url, twoSessions.email);
      const phone = await signedIn(b.url, twoSessions.email);

      const run = await owner.client.run.create.mutate({
        teamId,
        config: tinyRunConfig({ totalSteps: 300 }),
      });
      const watchers = {
        owner: new RunWatcher(a.url, owner.jar.cookie, run.id),
        removed: new RunWatcher(a.url, removed.jar.cookie, run.id),
        demoted: new RunWatcher(b.url, demoted.jar.cookie, run.id),
        laptop: new RunWatcher(a.url, laptop.jar.cookie, run.id),
        phone: new RunWatcher(b.url, phone.jar.cookie, run.id),
      };
      const disconnects = new Map<string, string>();
      for (const [name, w] of Object.entries(watchers))
        w.socket.on("disconnect", (r) => disconnects.set(name, r));
      try {
        await waitFor(
          "every socket to receive steps",
          () => Object.values(watchers).every((w) => w.steps.size >= 2),
          120_000,
        );

        // Laptop session revoked from the phone (web B; the laptop's socket is on web A), then the phone signs out.
        const laptopSession = (await laptop.client.auth.listSessions.query()).find((s) => s.current)!;
        await phone.client.auth.revokeSession.mutate({ sessionId: laptopSession.id });
        await phone.client.auth.signOut.mutate();
        // Removal through web B (socket on A); demotion to VIEWER, who may still read, through web A (socket on B).
        const ownerOnB = await signedIn(b.url, owner.email);
        await ownerOnB.client.team.removeMember.mutate({
          teamId,
          userId: (await removed.client.auth.me.query())!.id,
        });
        await owner.client.team.changeRole.mutate({
          teamId,
          userId: (await demoted.client.auth.me.query())!.id,
          role: "VIEWER",
        });

        await waitFor(
          "revoked and signed-out sockets to be disconnected",
          () => disconnects.size >= 2,
          10_000,
        );
        expect(Object.fromEntries(disconnects)).toEqual({
          laptop: "io server disconnect",
          phone: "io server disconnect",
        });
        // Let anything already in flight land, then count what each socket receives from here on.
        await new Promise((r) => setTimeout(r, 1000));
        const at = Object.fromEntries(Object.entries(watchers).map(([k, w]) => [k, w.received]));
        await waitFor(
          "five more steps for the owner",
          () => watchers.owner.received >= at.owner! + 5,
          120_000,
        );
        await waitFor(
          "the demoted viewer to keep receiving",
          () => watchers.demoted.received > at.demoted!,
          10_000,
        );
        expect(watchers.removed.received).toBe(at.removed);
        expect(watchers.laptop.received).toBe(at.laptop);
        expect(watchers.phone.received).toBe(at.phone);
        expect(watchers.removed.socket.connected).toBe(true); // still connected: only the team's rooms were left
        expect(await watchers.removed.join()).toEqual({
          ok: false,
          error: { code: "NOT_FOUND", message: "Run not found" },
        });
      } finally {
        for (const w of Object.values(watchers)) w.close();
        await owner.client.run.cancel.mutate({ runId: run.id }).catch(() => {});
      }
    }, 300_000);
  },
);
