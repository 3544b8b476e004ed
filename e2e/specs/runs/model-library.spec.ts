import { expect, test } from "@playwright/test";
import { logIn } from "../../fixtures/accounts.ts";

// Issue 12 items 1–3: the launch form picks real models from the trainer's Hugging Face cache (filled by
// e2e/scripts/serve-fresh.ts) and the paper's built-in datasets; a picked model fills the paper's depth
// defaults with the reason; an analysis of the cached Qwen3 model on MATH-500 runs to the end.
const DEMO = { email: "demo@bupo.studio", password: "bupo-demo-2026" };

test("pick a hub-cache model and MATH-500 → depth defaults → analysis runs", async ({ page }) => {
  test.setTimeout(240_000);
  await logIn(page, DEMO.email, DEMO.password);
  await page.getByRole("link", { name: "New run" }).click();
  await expect(page.getByRole("heading", { name: "New run" })).toBeVisible();

  // BuPO on the cached Llama: k = L − 2 (the paper's near-top layer for Llama), with the reason.
  await page.getByRole("button", { name: /BuPO \(paper defaults\)/ }).click();
  await page.locator('[id="model.source"]').selectOption("library");
  const picker = page.getByTestId("model-picker");
  await expect(picker.getByText("meta-llama/Llama-3.2-1B")).toBeVisible({ timeout: 30_000 });
  await picker.getByRole("searchbox", { name: "Search models" }).fill("llama");
  await expect(picker.getByText("Qwen/Qwen3-0.6B")).toHaveCount(0);
  await picker.getByLabel(/meta-llama\/Llama-3\.2-1B/).check();
  const k = page.getByLabel("Internal layer k (0-based)", { exact: true });
  await expect(k).toHaveValue("2");
  await expect(page.locator('[id="rl.internalLayer-hint"]')).toContainText("k = L − 2 = 2 of 4 layers");
  await expect(page.getByLabel("Internal-policy steps S", { exact: true })).toHaveValue("30");

  // Entropy analysis of the cached Qwen3 on MATH-500, previewed before launching.
  await page.getByRole("button", { name: /Entropy analysis/ }).click();
  await page.getByLabel("Name", { exact: true }).fill("e2e hub Qwen3 on MATH-500");
  await page.locator('[id="model.source"]').selectOption("library");
  await picker.getByRole("searchbox", { name: "Search models" }).fill("qwen");
  // The team's own training checkpoints are models too (earlier specs leave qwen3 ones): wait for the hub entry.
  await expect(picker.getByText("Qwen/Qwen3-0.6B")).toBeVisible({ timeout: 30_000 });
  await picker.getByLabel(/Qwen\/Qwen3-0\.6B/).check();
  await page.locator('[id="task.source"]').selectOption("dataset");
  await expect(page.getByLabel("Dataset", { exact: true })).toHaveValue("builtin:datasets/math500.parquet", {
    timeout: 30_000,
  });
  const preview = page.getByRole("table", { name: "Dataset preview" });
  await expect(preview).toContainText("First 5 of 500 rows", { timeout: 30_000 });
  await expect(preview).toContainText("rectangular coordinates");
  await expect(page.getByText("Tokenizer and chat template: the chosen model's own.")).toBeVisible();
  await page.getByLabel("Samples", { exact: true }).fill("2");
  await page.getByLabel("Max response tokens", { exact: true }).fill("4");
  await page.screenshot({ path: "test-results/model-library.png", fullPage: true });
  await page.getByRole("button", { name: "Launch run" }).click();

  await expect(page).toHaveURL(/\/runs\/(?!new)\w+$/);
  await expect(page.getByTestId("run-name")).toHaveText("e2e hub Qwen3 on MATH-500");
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 180_000 });
});
