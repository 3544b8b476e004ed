import { expect, test } from "@playwright/test";
import { logIn, PASSWORD, signUp, uniqueEmail } from "../../fixtures/accounts.ts";

test("sign up → create team → invite link in a second browser → join → roles shown → log out and in", async ({
  browser,
}) => {
  const ownerCtx = await browser.newContext();
  const owner = await ownerCtx.newPage();
  const consoleErrors: string[] = [];
  owner.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  const ownerEmail = uniqueEmail("owner");

  await signUp(owner, "Olive Owner", ownerEmail);
  await expect(owner).toHaveURL(/\/teams\/new/);
  await owner.getByLabel("Team name").fill("Interpretability Lab");
  await owner.getByRole("button", { name: "Create team" }).click();
  await expect(owner).toHaveURL(/\/team$/);
  await expect(owner.getByRole("heading", { name: "Interpretability Lab" })).toBeVisible();
  await expect(owner.getByTestId("my-role")).toHaveText("OWNER");

  await owner.getByLabel("Role", { exact: true }).selectOption("MEMBER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByLabel("New invitation link").inputValue();
  expect(link).toMatch(/\/invite\/[\w-]{43}$/);

  // Second user, in a separate browser context (own cookies), opens the link.
  const joinerCtx = await browser.newContext();
  const joiner = await joinerCtx.newPage();
  await joiner.goto(link);
  await expect(joiner.getByRole("heading", { name: "Join Interpretability Lab" })).toBeVisible();
  await expect(joiner.getByText("You are invited as MEMBER.")).toBeVisible();
  await joiner.getByRole("link", { name: "Sign up to join" }).click();
  const joinerEmail = uniqueEmail("joiner");
  await joiner.getByLabel("Name").fill("Jo Joiner");
  await joiner.getByLabel("Email").fill(joinerEmail);
  await joiner.getByLabel("Password").fill(PASSWORD);
  await joiner.getByRole("button", { name: "Sign up" }).click();
  await expect(joiner).toHaveURL(/\/invite\//);
  await joiner.getByRole("button", { name: "Accept and join Interpretability Lab" }).click();
  await expect(joiner).toHaveURL(/\/team$/);
  await expect(joiner.getByTestId("my-role")).toHaveText("MEMBER");
  await expect(joiner.getByTestId(`member-${ownerEmail}`).getByTestId("role")).toHaveText("OWNER");

  // The owner sees the new member with their role, and the link is now used up.
  await owner.reload();
  await expect(owner.getByLabel("Role of Jo Joiner")).toHaveValue("MEMBER");
  await expect(owner.getByTestId("invitation-state").first()).toContainText("accepted by Jo Joiner");
  await owner.getByLabel("Role of Jo Joiner").selectOption("VIEWER");
  await expect(owner.getByLabel("Role of Jo Joiner")).toHaveValue("VIEWER");
  await joiner.reload();
  await expect(joiner.getByTestId("my-role")).toHaveText("VIEWER");

  const third = await (await browser.newContext()).newPage();
  await third.goto(link);
  await expect(third.getByText("already been used")).toBeVisible();

  // Log out and back in.
  await joiner.getByRole("button", { name: "Log out" }).click();
  await expect(joiner).toHaveURL(/\/login/);
  await joiner.goto("/team");
  await expect(joiner).toHaveURL(/\/login\?next=%2Fteam/);
  await logIn(joiner, joinerEmail);
  await expect(joiner.getByRole("combobox", { name: "Active team" })).toHaveValue(/.+/);
  await joiner.goto("/team");
  await expect(joiner.getByTestId("my-role")).toHaveText("VIEWER");

  await owner.screenshot({ path: "test-results/team-settings.png", fullPage: true });
  expect(consoleErrors).toEqual([]);
});

test("the seeded demo login works and wrong passwords get a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("demo@bupo.studio");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email" })).toHaveText(
    "Wrong email or password.",
  );
  await logIn(page, "demo@bupo.studio", "bupo-demo-2026");
  await expect(page.getByRole("heading", { name: "Runs · Demo Lab" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New run" })).toBeVisible();
});

test("sign-up form shows field errors from the server for bad values", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Name").fill("x".repeat(200));
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByText("email must be a valid address")).toBeVisible();
  await expect(page.getByText("password must be 8 to 128 characters")).toBeVisible();
  await expect(page.getByText("name must be at most 80 characters")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/signup/);
});
