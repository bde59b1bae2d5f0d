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
  expect((await context.cookies()).filter((c) => c.name.includes("latchkey"))).toHaveLength(0);
  await expect(page.getByTestId("nav-user")).toHaveCount(0);

  await page.goBack();
  await page.waitForURL("**/dashboard");
  await expect(page.getByTestId("signin-prompt")).toBeVisible();
  await expect(page.getByText(email)).toHaveCount(0);

  await open(page, "/dashboard");
  await expect(page.getByTestId("signin-prompt")).toBeVisible();
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
  await open(page, "/sessions");
  await page.getByTestId("signin-prompt").getByRole("link", { name: "Sign in" }).click();
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
