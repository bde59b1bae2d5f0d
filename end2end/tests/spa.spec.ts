import { test, expect, type Page } from "@playwright/test";
import { AuthForms, PASSWORD, createAccount, open, uniqueEmail, signInNew } from "../fixtures/auth";

/** Every document (full page) request `page` makes from now on. */
function documentRequests(page: Page): string[] {
  const documents: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "document") documents.push(new URL(r.url()).pathname);
  });
  return documents;
}

test("moving between the dashboard and the devices page never loads a document", async ({ page, request }) => {
  await signInNew(page, request, "nav");
  const documents = documentRequests(page);
  await page.getByRole("link", { name: "Devices", exact: true }).click();
  await page.waitForURL("**/sessions");
  await expect(page.getByTestId("session-row").first()).toBeVisible();
  await page.getByRole("link", { name: "Dashboard", exact: true }).click();
  await page.waitForURL("**/dashboard");
  await expect(page.getByTestId("user-email")).toBeVisible();
  await page.goBack();
  await page.waitForURL("**/sessions");
  await expect(page.getByTestId("session-row").first()).toBeVisible();
  expect(documents).toEqual([]);
});

test("a sign-out drops the user from the DOM and the state of every tab, and back shows nothing", async ({ context, request }) => {
  const a = await context.newPage();
  const email = await signInNew(a, request, "dropall");
  const b = await context.newPage();
  await open(b, "/sessions");
  await expect(b.getByTestId("session-row").first()).toBeVisible();
  await expect(b.locator("body[data-session=signed-in]")).toHaveCount(1);
  await new AuthForms(a).logout();
  for (const tab of [a, b]) {
    await expect(tab).toHaveURL(/\/login/, { timeout: 2_000 });
    await expect(tab.locator("body[data-session=signed-out]")).toHaveCount(1);
    expect(await tab.evaluate(() => document.body.innerHTML)).not.toContain(email);
  }
  // Back to the pages that showed the user: the app has nothing of them to show.
  await b.goBack();
  await expect(b).toHaveURL(/\/login\?next=/);
  expect(await b.evaluate(() => document.body.innerHTML)).not.toContain(email);
  // A page left for another site and come back to is not restored from the back-forward cache.
  await a.goto("about:blank");
  await a.goBack();
  await expect(a).toHaveURL(/\/login/);
  expect(await a.evaluate(() => document.body.innerHTML)).not.toContain(email);
});

test("a signed-in visitor to the sign-in or registration page is sent to the dashboard", async ({ page, request }) => {
  await signInNew(page, request, "already");
  for (const path of ["/login", "/register"]) {
    await page.goto(path);
    await page.waitForURL("**/dashboard");
  }
  await open(page, "/login?next=/sessions");
  await page.waitForURL("**/sessions");
});

test.describe("before the WASM loads (no JavaScript)", () => {
  test.use({ javaScriptEnabled: false });

  test("a failed sign-in shows the sign-in page with the error, a good one lands on next", async ({ page, request }) => {
    const email = uniqueEmail("nojs");
    await createAccount(request, email);
    await page.goto("/login?next=/sessions");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByTestId("form-error")).toHaveText("Incorrect email or password.");
    expect(await page.content()).not.toContain('"error":');
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL("**/sessions");
    await expect(page.getByTestId("session-row").first()).toBeVisible();
  });

  test("registering lands on the dashboard, and a revoke works as a plain form", async ({ page }) => {
    const email = uniqueEmail("nojsreg");
    await page.goto("/register");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/dashboard");
    await expect(page.getByTestId("user-email")).toHaveText(email);
    await page.goto("/sessions");
    await page.locator("[data-testid=session-row][data-current=true]").getByTestId("revoke").click();
    await page.goto("/dashboard");
    await page.waitForURL(/\/login\?next=\/dashboard/);
  });
});
