import { test, expect, type Browser, type Page } from "@playwright/test";
import { AuthForms, createAccount, open, uniqueEmail } from "../fixtures/auth";

/** A separate browser profile (its own cookies), signed in as `email`, on the dashboard. */
async function device(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await new AuthForms(page).login(email);
  await page.waitForURL("**/dashboard");
  return page;
}

async function currentSessionId(page: Page): Promise<string> {
  const sessions = await page.evaluate(() => fetch("/api/auth/sessions").then((r) => r.json()));
  return sessions.find((s: { current: boolean }) => s.current).id;
}

test("revoking a device from another signs it out on its next action", async ({ browser, request }) => {
  const email = uniqueEmail("devices");
  await createAccount(request, email);
  const laptop = await device(browser, email);
  const phone = await device(browser, email);
  const phoneSession = await currentSessionId(phone);

  await open(laptop, "/sessions");
  await expect(laptop.locator("[data-testid=session-row][data-current=true]")).toHaveCount(1);
  const phoneRow = laptop.locator(`[data-session-id="${phoneSession}"]`);
  await expect(phoneRow).toContainText(/Chrome on (Windows|Linux|macOS)/);
  const documents: string[] = [];
  laptop.on("request", (r) => {
    if (r.resourceType() === "document") documents.push(r.url());
  });
  await phoneRow.getByTestId("revoke").click();
  await expect(phoneRow).toHaveCount(0);
  expect(documents, "the list updated without a page load").toEqual([]);
  await expect(laptop.getByTestId("activity").locator("li[data-kind=revoke]")).toHaveCount(1);

  await phone.getByTestId("check-session").click();
  await expect(phone).toHaveURL(/\/login\?reason=ended/);
  await expect(phone.getByTestId("session-ended")).toBeVisible();
  await expect(laptop.getByTestId("nav-user")).toHaveText(email);
});

test("log out everywhere signs out every device", async ({ browser, request }) => {
  const email = uniqueEmail("everywhere");
  await createAccount(request, email);
  const laptop = await device(browser, email);
  const phone = await device(browser, email);
  await open(laptop, "/sessions");
  await laptop.getByTestId("logout-all").click();
  await laptop.waitForURL("**/login**");
  await expect(laptop.getByTestId("nav-user")).toHaveCount(0);
  await phone.getByTestId("check-session").click();
  await expect(phone).toHaveURL(/\/login\?reason=ended/);
});

test("revoking this device's own session signs this tab out", async ({ page, request }) => {
  const email = uniqueEmail("self");
  await createAccount(request, email);
  await new AuthForms(page).login(email);
  await page.waitForURL("**/dashboard");
  await open(page, "/sessions");
  await page.locator("[data-testid=session-row][data-current=true]").getByTestId("revoke").click();
  await page.waitForURL("**/login**");
  await expect(page.getByTestId("nav-user")).toHaveCount(0);
  await page.goto("/dashboard");
  await page.waitForURL(/\/login\?next=\/dashboard/);
});

test("log out everywhere in one page shows the login page in the browser's other pages", async ({ context, request }) => {
  const email = uniqueEmail("alltabs");
  await createAccount(request, email);
  const a = await context.newPage();
  await new AuthForms(a).login(email);
  await a.waitForURL("**/dashboard");
  const b = await context.newPage();
  await open(b, "/dashboard");
  await open(a, "/sessions");
  await a.getByTestId("logout-all").click();
  await a.waitForURL("**/login**");
  await expect(b).toHaveURL(/\/login/, { timeout: 2_000 });
  await expect(b.getByTestId("nav-user")).toHaveCount(0);
});
