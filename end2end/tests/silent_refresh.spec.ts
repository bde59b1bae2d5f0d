import { test, expect, type Page, type BrowserContext } from "@playwright/test";
import { AuthForms, createAccount, open, uniqueEmail, signInNew } from "../fixtures/auth";

// Runs against the short-lived server: ACCESS_TOKEN_TTL=3, REFRESH_REUSE_GRACE=2.

async function accessCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name.includes("access"))?.value;
}

async function refreshCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name.includes("refresh"))?.value;
}

async function checkSession(page: Page): Promise<void> {
  await page.getByTestId("check-session").click();
  await expect(page.getByTestId("session-check")).toContainText("active");
}

test("staying on the dashboard for 12 s with protected calls never signs the user out", async ({ page, context, request }) => {
  const email = await signInNew(page, request, "stay");
  const first = await accessCookie(context);
  for (let i = 0; i < 6; i++) {
    await page.waitForTimeout(2_000);
    await checkSession(page);
  }
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("user-email")).toHaveText(email);
  expect(await accessCookie(context)).not.toBe(first);
});

test("what a page shows survives the silent refresh (the page is not rebuilt)", async ({ page, context, request }) => {
  await signInNew(page, request, "keep");
  await checkSession(page);
  const shown = await page.getByTestId("session-check").textContent();
  const before = await accessCookie(context);
  await expect.poll(() => accessCookie(context), { timeout: 8_000 }).not.toBe(before); // renewed in the background
  await expect(page.getByTestId("session-check")).toHaveText(shown!);
});

test("two pages refreshing at the same time both stay signed in", async ({ context, request }) => {
  const a = await context.newPage();
  const email = await signInNew(a, request, "twotabs");
  const b = await context.newPage();
  await open(b, "/dashboard");
  await expect(b.getByTestId("user-email")).toHaveText(email);
  // Both pages send the same refresh cookie at the same moment: one rotates, the other is
  // answered within the grace window with the same successor.
  const refreshFrom = (p: Page) => p.evaluate(() => fetch("/api/auth/refresh", { method: "POST" }).then((r) => r.status));
  expect(await Promise.all([refreshFrom(a), refreshFrom(b)])).toEqual([200, 200]);
  await Promise.all([checkSession(a), checkSession(b)]);
  await a.waitForTimeout(3_500);
  await Promise.all([checkSession(a), checkSession(b)]);
  for (const p of [a, b]) {
    await expect(p).toHaveURL(/\/dashboard$/);
    await expect(p.getByTestId("user-email")).toHaveText(email);
  }
});

test("logging out in one page shows the login page in the other within 2 s", async ({ context, request }) => {
  const a = await context.newPage();
  await signInNew(a, request, "logout2");
  const b = await context.newPage();
  await open(b, "/dashboard");
  await new AuthForms(a).logout();
  await expect(b).toHaveURL(/\/login/, { timeout: 2_000 });
});

test("a stolen refresh token replayed after the grace window signs the real tab out", async ({ page, context, request, playwright, baseURL }) => {
  await signInNew(page, request, "stolen");
  const stolen = await refreshCookie(context);
  const name = (await context.cookies()).find((c) => c.name.includes("refresh"))!.name;
  await page.waitForTimeout(3_500);
  await checkSession(page); // the real tab has rotated by now
  expect(await refreshCookie(context)).not.toBe(stolen);
  await page.waitForTimeout(2_500); // past REFRESH_REUSE_GRACE
  const thief = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: `${name}=${stolen}` } });
  expect((await thief.post("/api/auth/refresh")).status()).toBe(401);
  await thief.dispose();
  // The next call (a click, or the tab's own scheduled refresh, whichever comes first) fails.
  await page.getByTestId("check-session").click({ timeout: 1_000 }).catch(() => {});
  await expect(page).toHaveURL(/\/login\?reason=ended/, { timeout: 5_000 });
  await expect(page.getByTestId("session-ended")).toBeVisible();
});

test("a page reloaded after its access token expired restores the session without a sign-in form", async ({ context, request }) => {
  const page = await context.newPage();
  const email = await signInNew(page, request, "restore");
  await page.close();
  await new Promise((r) => setTimeout(r, 3_500));
  const again = await context.newPage();
  const documents: string[] = [];
  again.on("request", (r) => {
    if (r.resourceType() === "document") documents.push(r.url());
  });
  await open(again, "/dashboard");
  await expect(again.getByTestId("user-email")).toHaveText(email);
  await expect(again).toHaveURL(/\/dashboard$/);
  expect(documents, "the page was shown without loading again").toHaveLength(1);
});

test("when the session ends the tab shows why, and signing in returns to the page you were on", async ({ page, context, request }) => {
  const email = await signInNew(page, request, "return");
  await open(page, "/sessions");
  await context.clearCookies(); // the session is gone as far as this browser is concerned
  await expect(page).toHaveURL(/\/login\?reason=ended&next=\/sessions/, { timeout: 5_000 });
  await expect(page.getByTestId("session-ended")).toBeVisible();
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/sessions");
  await expect(page.getByTestId("session-row").first()).toBeVisible();
});

test("signing in in one page shows the user in the other within a second", async ({ context, request }) => {
  const email = uniqueEmail("login2");
  await createAccount(request, email);
  const a = await context.newPage();
  const b = await context.newPage();
  await open(b, "/");
  await expect(b.getByTestId("nav-user")).toHaveCount(0);
  await new AuthForms(a).login(email);
  await expect(b.getByTestId("nav-user")).toHaveText(email, { timeout: 1_500 });
});

test("a session the server could not restore at first is restored when the browser is back online", async ({ context, request }) => {
  const page = await context.newPage();
  const email = await signInNew(page, request, "offline");
  await page.close();
  await new Promise((r) => setTimeout(r, 3_500)); // the access token has expired
  const again = await context.newPage();
  await again.route("**/api/auth/refresh", (route) => route.abort());
  const refreshFailed = again.waitForEvent("requestfailed", (r) => r.url().endsWith("/api/auth/refresh"));
  await open(again, "/dashboard");
  await refreshFailed;
  await expect(again.getByTestId("restoring")).toBeVisible();
  await again.unroute("**/api/auth/refresh");
  await context.setOffline(true);
  await context.setOffline(false); // the page hears "online"
  await expect(again.getByTestId("user-email")).toHaveText(email);
  await expect(again).toHaveURL(/\/dashboard$/);
});
