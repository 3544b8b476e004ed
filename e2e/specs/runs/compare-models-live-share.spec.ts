import { expect, type Page, test } from "@playwright/test";
import { logIn } from "../../fixtures/accounts.ts";

// Issue 12: "Compare models" on two tiny presets (Qwen-style vs Llama-style) → the comparison draws the
// per-layer charts → a training run joins the comparison → share → the link, opened logged out, updates
// live while the run streams → revoking the link stops the live updates.
const DEMO = { email: "demo@bupo.studio", password: "bupo-demo-2026" };

/** A tRPC mutation over HTTP with the page's session cookie (what the launch form would send). */
async function trpcMutation<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.request.post(`/api/trpc/${path}`, {
    data: { json: input },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** The step a compare page shows for its training run. */
async function shownStep(page: Page): Promise<number> {
  const row = page.getByTestId("compare-run").filter({ hasText: "e2e streaming" });
  const text = (await row.getByTestId("run-step").textContent()) ?? "";
  return Number(/step (\d+)/.exec(text)?.[1] ?? -1);
}

test("compare models → per-layer charts → share → live for a logged-out viewer → revoke stops it", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  await logIn(page, DEMO.email, DEMO.password);
  await page.getByRole("link", { name: "Compare models" }).click();
  await expect(page.getByRole("heading", { name: "Compare models" })).toBeVisible();
  await page.getByLabel("Qwen3-style tiny").check();
  await page.getByLabel("Llama-style tiny").check();
  await page.getByLabel("Name", { exact: true }).fill("e2e Qwen vs Llama");
  await page.getByLabel("Samples", { exact: true }).fill("3");
  await page.getByLabel("Longest response (tokens)", { exact: true }).fill("6");
  await page.getByRole("button", { name: "Compare 2 models" }).click();

  // The comparison opens at once and draws each model along relative depth when its analysis finishes.
  await expect(page).toHaveURL(/\/compare\?runs=\w+,\w+$/);
  const analysisIds = new URL(page.url()).searchParams.get("runs")!.split(",");
  await expect(page.getByRole("heading", { name: "Compare 2 runs" })).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText(["succeeded", "succeeded"], { timeout: 120_000 });
  const depth = page.getByTestId("compare-depth");
  const residual = depth.getByRole("figure", { name: "Residual stream h_l by relative depth" });
  await expect(residual.getByRole("list", { name: "Legend" })).toContainText(
    "e2e Qwen vs Llama · qwen3-tiny",
  );
  await expect(residual.getByRole("list", { name: "Legend" })).toContainText(
    "e2e Qwen vs Llama · llama-tiny",
  );
  await expect(depth.getByRole("figure", { name: /ΔH per module/ }).getByRole("list")).toContainText(
    "llama-tiny · FFN ΔH",
  );
  await expect(depth.getByText("No per-layer measurements yet.")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Metrics" })).toHaveCount(0); // no training run: no training charts
  await expect(page.getByTestId("config-diff")).toContainText("llama");
  await page.screenshot({ path: "test-results/compare-models.png", fullPage: true });

  // A training run that streams for a while joins the comparison (mixed: training charts appear).
  const me = await page.request.get("/api/trpc/run.get", {
    params: { input: JSON.stringify({ json: { runId: analysisIds[0] } }) },
  });
  const teamId = ((await me.json()) as { result: { data: { json: { teamId: string } } } }).result.data.json
    .teamId;
  const training = await trpcMutation<{ id: string }>(page, "run.create", {
    teamId,
    config: {
      kind: "train",
      name: "e2e streaming",
      model: { source: "preset", family: "qwen3", preset: "tiny" },
      task: { source: "builtin", name: "addition", difficulty: 1 },
      warmStart: { sftSteps: 2, batchSize: 8 },
      rl: {
        internalLayer: 1,
        iterativeSteps: 1,
        totalSteps: 400,
        promptsPerStep: 2,
        groupSize: 4,
        miniBatches: 2,
        maxResponseTokens: 8,
        maxPromptTokens: 16,
      },
      schedule: { evalEvery: 0, checkpointEvery: 100, entropyEvery: 5, logEvery: 1, evalPrompts: 4 },
    },
  });
  try {
    await page.goto(`/compare?runs=${[...analysisIds, training.id].join(",")}`);
    await expect(page.getByRole("heading", { name: "Compare 3 runs" })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("heading", { name: "Metrics" })).toBeVisible();

    await page.getByRole("button", { name: "Share" }).click();
    await page.getByRole("button", { name: "Create link" }).click();
    const link = await page.getByLabel("Share link", { exact: true }).inputValue();

    // Logged out: the viewer's page follows the run live (no reload).
    const anon = await (await browser.newContext()).newPage();
    await anon.goto(link);
    await expect(anon.getByRole("heading", { name: "Compare 3 runs" })).toBeVisible({ timeout: 30_000 });
    await expect(anon.getByTestId("live-indicator")).toBeVisible({ timeout: 15_000 });
    await expect
      .poll(() => shownStep(anon), { timeout: 120_000, message: "the viewer sees a streamed step" })
      .toBeGreaterThan(0);
    const first = await shownStep(anon);
    await expect
      .poll(() => shownStep(anon), { timeout: 60_000, message: "the viewer sees later steps live" })
      .toBeGreaterThan(first);
    await anon.screenshot({ path: "test-results/shared-compare-live.png", fullPage: true });

    // Revoke from team settings: the viewer's live updates end at once, while the run goes on.
    await page.goto("/team");
    const row = page.getByTestId("share-link-row").first();
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect(row.getByTestId("share-state")).toHaveText("revoked");
    await expect(anon.getByTestId("live-ended")).toBeVisible({ timeout: 10_000 });
    await expect(anon.getByTestId("live-indicator")).toHaveCount(0);
    const frozen = await shownStep(anon);
    await page.goto(`/compare?runs=${[...analysisIds, training.id].join(",")}`);
    await expect.poll(() => shownStep(page), { timeout: 60_000 }).toBeGreaterThan(frozen + 1);
    expect(await shownStep(anon)).toBe(frozen);
    await anon.reload();
    await expect(anon.getByRole("heading", { name: "This share link was revoked" })).toBeVisible();
  } finally {
    await trpcMutation(page, "run.cancel", { runId: training.id }).catch(() => {});
  }
});

test("an analysis run's page: model and data cards, the token × layer view, analysis settings only", async ({
  page,
}) => {
  await logIn(page, DEMO.email, DEMO.password);
  await page.goto("/runs?kind=analysis");
  await page
    .getByRole("link", { name: /e2e Qwen vs Llama · llama-tiny/ })
    .first()
    .click();
  await expect(page.getByTestId("model-card")).toContainText("llama");
  await expect(page.getByTestId("model-card")).toContainText("Parameters");
  await expect(page.getByTestId("data-card")).toContainText("built-in addition");
  await expect(page.getByTestId("data-card")).toContainText("3");
  const view = page.getByTestId("token-view");
  await expect(view.getByRole("grid")).toBeVisible();
  await view.getByRole("gridcell").first().hover();
  await expect(page.getByRole("tooltip")).toBeVisible();
  const config = page.locator("#config-heading + pre");
  await expect(config).toContainText('"analysis"');
  await expect(config).not.toContainText('"rl"');
});
