import { test, expect } from "@playwright/test";
import { AuthForms, PASSWORD, createAccount, open, uniqueEmail } from "../fixtures/auth";

test("register, see the dashboard, reload, log out, and the back button shows nothing", async ({ page, context }) => {
  const forms = new AuthForms(page);
  const email = uniqueEmail("flow");
  await forms.register(email);
  await page.waitForURL("**/dashboard");
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await expect(page.getByTestId("nav-user")).toHaveText(email);

  const cookies = await context.cookies();
  const access = cookies.find((c) => c.name.includes("access"));
  const refresh = cookies.find((c) => c.name.includes("refresh"));
  expect(access?.httpOnly).toBe(true);
  expect(access?.sameSite).toBe("Lax");
  expect(refresh?.httpOnly).toBe(true);
  expect(refresh?.sameSite).toBe("Strict");
  expect(refresh?.path).toBe("/api/auth");

  await page.reload();
  await expect(page.getByTestId("user-email")).toHaveText(email);

  await forms.logout();
  const left = await context.cookies();
  expect(left.filter((c) => c.name.includes("access") || c.name.includes("refresh"))).toHaveLength(0);
  // The device cookie stays: this browser is one the account knows (see auth/devices.rs).
  expect(left.find((c) => c.name.includes("device"))?.httpOnly).toBe(true);
  await expect(page.getByTestId("nav-user")).toHaveCount(0);

  // Back to the dashboard: the app knows nobody is signed in, and sends the visitor to sign in.
  await page.goBack();
  await page.waitForURL(/\/login\?next=\/dashboard/);
  await expect(page.getByText(email)).toHaveCount(0);

  await page.goto("/dashboard");
  await page.waitForURL(/\/login\?next=\/dashboard/);
  await expect(page.getByText(email)).toHaveCount(0);
});

test("a wrong password shows the server's error and signs nobody in", async ({ page, request }) => {
  const email = uniqueEmail("wrong");
  await createAccount(request, email);
  const forms = new AuthForms(page);
  await forms.login(email, "definitely not it");
  await expect(forms.formError()).toHaveText("Incorrect email or password.");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId("nav-user")).toHaveCount(0);
});

test("an existing user signs in and lands on the dashboard", async ({ page, request }) => {
  const email = uniqueEmail("existing");
  await createAccount(request, email);
  const forms = new AuthForms(page);
  await forms.login(email);
  await page.waitForURL("**/dashboard");
  await expect(page.getByTestId("user-email")).toHaveText(email);
});

test("registering with a taken email shows why", async ({ page, request }) => {
  const email = uniqueEmail("taken");
  await createAccount(request, email);
  const forms = new AuthForms(page);
  await forms.register(email);
  await expect(forms.formError()).toHaveText("An account with this email already exists.");
});

test("signing in from a protected page returns to it", async ({ page, request }) => {
  const email = uniqueEmail("next");
  await createAccount(request, email);
  await page.goto("/sessions");
  await page.waitForURL("**/login?next=/sessions");
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  const forms = new AuthForms(page);
  await forms.login(email, undefined, "/login?next=/sessions");
  await page.waitForURL("**/sessions");
  // One session from the API registration, one from this browser: only this one is current.
  await expect(page.getByTestId("session-row")).toHaveCount(2);
  await expect(page.locator("[data-testid=session-row][data-current=true]")).toHaveCount(1);
});

test("a signed-in page shows its user from the server's render, without asking the server again", async ({ page }) => {
  const email = uniqueEmail("rendered");
  const reply = await page.request.post("/api/auth/register", { form: { email, password: PASSWORD } });
  expect(reply.status()).toBe(200);
  const apiCalls: string[] = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/api/")) apiCalls.push(path);
  });
  await open(page, "/dashboard");
  await expect(page.getByTestId("nav-user")).toHaveText(email);
  await expect(page.getByTestId("user-email")).toHaveText(email);
  expect(apiCalls).toEqual([]);
});

test("a logout the server cannot complete keeps the tab signed in, says so, and is retried", async ({ page, context, request }) => {
  const email = uniqueEmail("logout503");
  await createAccount(request, email);
  const forms = new AuthForms(page);
  await forms.login(email);
  await page.waitForURL("**/dashboard");
  let refused = 0;
  await page.route("**/api/auth/logout", async (route) => {
    if (refused < 2) {
      refused += 1;
      await route.fulfill({
        status: 503,
        headers: { "content-type": "application/json", "retry-after": "5" },
        body: JSON.stringify({ error: "unavailable", message: "The service is temporarily unavailable. Please try again shortly." }),
      });
    } else {
      await route.continue();
    }
  });
  await page.getByTestId("logout").click();
  await expect(page.getByTestId("logout-error")).toContainText("Could not sign you out");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("user-email")).toHaveText(email);
  expect((await context.cookies()).some((c) => c.name.includes("refresh"))).toBe(true);
  // The retries go on by themselves; the third reaches the server and ends the session.
  await page.waitForURL("**/login**", { timeout: 10_000 });
  expect(refused).toBe(2);
  expect((await context.cookies()).filter((c) => c.name.includes("access") || c.name.includes("refresh"))).toHaveLength(0);
});
