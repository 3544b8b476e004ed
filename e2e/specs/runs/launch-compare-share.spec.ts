import { expect, type Page, test } from "@playwright/test";
import { logIn } from "../../fixtures/accounts.ts";

// The dashboard end to end against the real stack (web + trainer on a tiny preset + database).
const DEMO = { email: "demo@bupo.studio", password: "bupo-demo-2026" };

async function fillTinySettings(page: Page) {
  const set = async (label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);
  await set("Total steps", "6");
  await set("Internal-policy steps S", "2");
  await set("Internal layer k (0-based) · 0–3", "1");
  await set("Prompts per step", "2");
  await set("Group size n", "4");
  await set("Mini-batches per step", "2");
  await set("Max response tokens", "8");
  await set("Supervised steps", "20");
  await set("Per-layer entropy every N steps", "2");
  await set("Evaluate every N steps", "3");
  await set("Held-out prompts", "4");
  await set("Checkpoint every N steps", "3");
}

test("launch BuPO → live metrics → paired GRPO → compare → share link → revoke", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  await logIn(page, DEMO.email, DEMO.password);
  await page.getByRole("link", { name: "New run" }).click();
  await expect(page.getByRole("heading", { name: "New run" })).toBeVisible();
  await page.getByRole("button", { name: /BuPO \(paper defaults\)/ }).click();
  await page.getByLabel("Name", { exact: true }).fill("e2e BuPO qwen3");
  await fillTinySettings(page);
  await expect(page.getByTestId("verl-command")).toContainText("actor_rollout_ref.actor.internal_layer=1");
  await page.getByRole("button", { name: "Launch run" }).click();

  // The run page: metrics arrive live, the phase switch is marked, per-layer views fill in.
  await expect(page).toHaveURL(/\/runs\/(?!new)\w+$/);
  const bupoUrl = page.url();
  await expect(page.getByTestId("run-name")).toHaveText("e2e BuPO qwen3");
  await expect(page.getByText("● live")).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText(/running|succeeded/, { timeout: 90_000 });
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", /[1-6]/, { timeout: 90_000 });
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 120_000 });
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "6");
  await expect(page.getByText("Entropy by layer · step 6")).toBeVisible({ timeout: 15_000 });
  await page.getByRole("button", { name: "Show for the latest checkpoint" }).click();
  await expect(page.getByText("Checkpoint step 6")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("grid").first()).toBeVisible();
  await page.screenshot({ path: "test-results/run-page.png", fullPage: true });

  // Paired GRPO baseline: same model, data and seed.
  await page.getByRole("link", { name: "Launch paired GRPO" }).click();
  await expect(page.getByRole("heading", { name: "Launch the paired GRPO baseline" })).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(/GRPO baseline/);
  await expect(page.getByText("Internal-policy steps S")).toHaveCount(0); // BuPO-only fields hidden
  await page.getByRole("button", { name: "Launch run" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 150_000 });

  // Compare the pair.
  await page.goto(bupoUrl);
  await page.getByRole("link", { name: "Compare with paired GRPO" }).click();
  await expect(page).toHaveURL(/\/compare\?runs=/);
  await expect(page.getByRole("heading", { name: "Compare 2 runs" })).toBeVisible();
  const diff = page.getByTestId("config-diff");
  await expect(diff).toContainText("algorithm");
  await expect(diff).toContainText("grpo");
  await page.screenshot({ path: "test-results/compare-page.png", fullPage: true });

  // Share the comparison; open it logged out in a fresh context.
  await page.getByRole("button", { name: "Share" }).click();
  await page.getByRole("button", { name: "Create link" }).click();
  const link = await page.getByLabel("Share link", { exact: true }).inputValue();
  expect(link).toMatch(/\/share\/[\w-]{43}$/);
  const anon = await (await browser.newContext()).newPage();
  await anon.goto(link);
  await expect(anon.getByRole("heading", { name: "Compare 2 runs" })).toBeVisible();
  await expect(anon.getByText("shared · read-only")).toBeVisible();
  await expect(anon.getByRole("link", { name: "Team settings" })).toHaveCount(0);

  // Revoke from team settings: the link stops working.
  await page.goto("/team");
  const row = page.getByTestId("share-link-row").first();
  await expect(row.getByTestId("share-state")).toHaveText("active");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row.getByTestId("share-state")).toHaveText("revoked");
  await anon.reload();
  await expect(anon.getByRole("heading", { name: "This share link was revoked" })).toBeVisible();
  await expect(anon.getByText("Compare 2 runs")).toHaveCount(0);
});

test("the launch form flags bad values at the field before submit, and the server agrees", async ({
  page,
}) => {
  await logIn(page, DEMO.email, DEMO.password);
  // Through the app's own link, as the other launch specs do: after a direct load of /runs/new while the server
  // was busy, the Launch button stayed disabled (no active team) in some CI runs — under investigation.
  await page.getByRole("link", { name: "New run" }).click();
  await expect(page.getByRole("button", { name: "Launch run" })).toBeEnabled({ timeout: 30_000 });
  await page.getByLabel("Internal layer k (0-based) · 0–3", { exact: true }).fill("9");
  await expect(page.getByText(/internalLayer must be between 0 and 3/)).toBeVisible();
  await page.getByLabel("Total steps", { exact: true }).fill("10");
  await page.getByLabel("Internal-policy steps S", { exact: true }).fill("20");
  await expect(page.getByText(/iterativeSteps must be between 0 and totalSteps \(10\)/)).toBeVisible();
  await page.getByLabel("Learning rate", { exact: true }).first().fill("-1");
  await expect(page.getByText(/lr must be between 0 \(exclusive\) and 1 \(got -1\)/)).toBeVisible();
  await page.getByRole("button", { name: "Launch run" }).click();
  await expect(page.getByText("Fix the highlighted fields before launching.")).toBeVisible();
  await expect(page).toHaveURL(/\/runs\/new/);
});
