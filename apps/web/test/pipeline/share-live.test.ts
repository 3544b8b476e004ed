/**
 * Issue 12 items 4 and 6 through the real web server, a real trainer, PostgreSQL and Socket.IO clients:
 * "Compare models" launches one tagged analysis run per model in one request and the trainer analyses each
 * (spread and token views included); one share link shares the comparison plus a training run, and a viewer
 * with only the link's token gets that run's steps live; it may join the link's runs only; revoking the link
 * disconnects it, an expired link is refused at the handshake, and a link expiring while watched ends it.
 */
import { AnalysisResultSchema } from "@bupo/shared/analysis-result";
import { describe, expect, it } from "vitest";
import { httpApi, RunWatcher, waitFor } from "./clients.ts";
import { tinyRunConfig, userWithTeam } from "./fixtures.ts";
import { hasPostgres } from "./processes.ts";
import { webAndTrainerPerFile } from "./stack.ts";

const stack = webAndTrainerPerFile();

/** A share-link viewer's socket, as the share page opens it: the token in `auth`, no cookie. */
const viewer = (token: string, runId: string) => new RunWatcher(stack.web.url, { shareToken: token }, runId);

/** The handshake's refusal message, or null once connected. */
const handshake = (w: RunWatcher) =>
  new Promise<string | null>((resolve) => {
    w.socket.once("connect", () => resolve(null));
    w.socket.once("connect_error", (e) => resolve(e.message));
  });

const disconnected = (w: RunWatcher) =>
  new Promise<string>((resolve) => w.socket.once("disconnect", (reason) => resolve(reason)));

describe.skipIf(!hasPostgres)("compare models and live share links", () => {
  it("launches a comparison, shares it live, evicts on revoke, refuses and ends expired links", async () => {
    const owner = await userWithTeam(stack.web.url);
    const teamId = owner.team.id;

    // Compare models: two presets, one request, one run each, one tag.
    const launched = await owner.client.run.compareModels.mutate({
      teamId,
      comparison: {
        name: "Qwen vs Llama",
        models: [
          { source: "preset", family: "qwen3", preset: "tiny" },
          { source: "preset", family: "llama", preset: "tiny" },
        ],
        task: { source: "builtin", name: "addition", difficulty: 1 },
        analysis: { sampleSize: 2, maxResponseTokens: 4 },
      },
    });
    expect(launched.runs.map((r) => r.name)).toEqual([
      "Qwen vs Llama · qwen3-tiny",
      "Qwen vs Llama · llama-tiny",
    ]);
    const tagged = await owner.client.run.list.query({ teamId, tag: launched.tag });
    expect(tagged.runs.map((r) => r.id).sort()).toEqual(launched.runs.map((r) => r.id).sort());
    for (const r of launched.runs) {
      await waitFor(
        `analysis ${r.name} to finish`,
        async () => {
          const run = await owner.client.run.get.query({ runId: r.id });
          if (run.status === "failed") throw new Error(`analysis failed: ${run.errorMessage}`);
          return run.status === "succeeded" ? run : undefined;
        },
        120_000,
      );
    }
    const compared = await owner.client.run.compare.query({ runIds: launched.runs.map((r) => r.id) });
    const results = compared.runs.map((r) => AnalysisResultSchema.parse(r.analysis));
    expect(results.map((r) => r.model.family)).toEqual(["qwen3", "llama"]);
    for (const r of results) {
      expect(r.spread?.residual.std).toHaveLength(r.model.numLayers + 1);
      expect(r.tokenViews?.[0]?.rows).toHaveLength(r.model.numLayers + 1);
    }
    expect(compared.configDiff.map((d) => d.path)).toContain("model.family");

    // A training run streams; one link shares it with the comparison; another run stays private.
    const run = await owner.client.run.create.mutate({ teamId, config: tinyRunConfig({ totalSteps: 300 }) });
    const other = await owner.client.run.create.mutate({ teamId, config: tinyRunConfig({ totalSteps: 2 }) });
    const link = await owner.client.share.create.mutate({
      teamId,
      runIds: [...launched.runs.map((r) => r.id), run.id],
    });
    const watchers: RunWatcher[] = [];
    try {
      const live = viewer(link.token, run.id);
      watchers.push(live);
      expect(await handshake(live)).toBeNull();
      await waitFor("the link's viewer to receive live steps", () => live.steps.size >= 2, 120_000);
      expect(await live.join()).toMatchObject({ ok: true });

      // Only the link's runs: another run of the team reads as missing; teams cannot be joined.
      const outside = await live.socket
        .timeout(10_000)
        .emitWithAck("run:join", { runId: other.id, afterStep: 0 });
      expect(outside).toEqual({ ok: false, error: { code: "NOT_FOUND", message: "Run not found" } });
      const team = await live.socket.timeout(10_000).emitWithAck("team:join", { teamId });
      expect(team).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      const analysisRun = launched.runs[0]!.id;
      expect(
        await live.socket.timeout(10_000).emitWithAck("run:join", { runId: analysisRun, afterStep: 0 }),
      ).toMatchObject({ ok: true, data: { status: "succeeded" } });

      // Revoking the link disconnects its viewer; a new socket with the same token is refused.
      const gone = disconnected(live);
      await owner.client.share.revoke.mutate({ teamId, shareId: link.id });
      expect(await gone).toBe("io server disconnect");
      const afterRevoke = viewer(link.token, run.id);
      watchers.push(afterRevoke);
      expect(await handshake(afterRevoke)).toMatch(/^FORBIDDEN/);

      // An expired link is refused at the handshake; one expiring while watched ends its viewer.
      const expired = await owner.client.share.create.mutate({ teamId, runIds: [run.id], expiresInHours: 1 });
      await stack.db.prisma.shareLink.update({
        where: { id: expired.id },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      const late = viewer(expired.token, run.id);
      watchers.push(late);
      expect(await handshake(late)).toMatch(/^FORBIDDEN/);

      const expiring = await owner.client.share.create.mutate({
        teamId,
        runIds: [run.id],
        expiresInHours: 1,
      });
      await stack.db.prisma.shareLink.update({
        where: { id: expiring.id },
        data: { expiresAt: new Date(Date.now() + 3000) },
      });
      const brief = viewer(expiring.token, run.id);
      watchers.push(brief);
      expect(await handshake(brief)).toBeNull();
      expect(await disconnected(brief)).toBe("io server disconnect");

      // A member's socket is untouched by all of this.
      const member = new RunWatcher(stack.web.url, owner.jar.cookie, run.id);
      watchers.push(member);
      const from = member.received;
      await waitFor("the member to keep receiving", () => member.received > from, 60_000);
      expect((await httpApi(stack.web.url).client.share.resolve.query({ token: link.token })).state).toBe(
        "revoked",
      );
    } finally {
      for (const w of watchers) w.close();
      await owner.client.run.cancel.mutate({ runId: run.id }).catch(() => {});
      await owner.client.run.cancel.mutate({ runId: other.id }).catch(() => {});
    }
  }, 400_000);
});
