import { test, expect } from "@playwright/test";
import { PASSWORD, open, signIn, signInNew } from "../fixtures/auth";

const NEW_PASSWORD = "a much longer passphrase, freshly chosen";

test("changing the password keeps this browser signed in and signs the other one out", async ({ browser, request }) => {
  const laptop = await (await browser.newContext()).newPage();
  const email = await signInNew(laptop, request, "passwd");
  const phone = await (await browser.newContext()).newPage();
  await signIn(phone, email);

  await laptop.getByRole("link", { name: "Account", exact: true }).click();
  await laptop.waitForURL("**/account");
  await expect(laptop.getByTestId("account-email")).toHaveText(email);
  const form = laptop.getByTestId("change-password-form");
  await form.getByLabel("Current password", { exact: true }).fill("not my password");
  await form.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByTestId("form-error")).toContainText("password");
  await form.getByLabel("Current password", { exact: true }).fill(PASSWORD);
  await form.getByLabel("New password", { exact: true }).fill("password1");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByTestId("form-error")).toContainText("too common");
  await form.getByLabel("Current password", { exact: true }).fill(PASSWORD);
  await form.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(laptop.getByTestId("password-changed")).toBeVisible();
  await expect(form.getByLabel("New password", { exact: true })).toHaveValue("");

  // This browser goes on (client-side navigation, protected calls with the new session)…
  await laptop.getByRole("link", { name: "Devices", exact: true }).click();
  await expect(laptop.getByTestId("session-row")).toHaveCount(1);
  await expect(laptop.locator("[data-current=true]")).toHaveCount(1);
  // …the other one is out at its next protected call, and its user is gone from the page.
  await phone.getByRole("link", { name: "Devices", exact: true }).click();
  await expect(phone).toHaveURL(/\/login\?reason=ended/);
  expect(await phone.evaluate(() => document.body.innerHTML)).not.toContain(email);
  await signIn(phone, email, NEW_PASSWORD);
});

test("deleting the account signs every tab out, shows nothing of the user, and frees the email", async ({ context, request }) => {
  const tab = await context.newPage();
  const email = await signInNew(tab, request, "delete");
  const other = await context.newPage();
  await open(other, "/sessions");
  await expect(other.getByTestId("session-row").first()).toBeVisible();
  await open(tab, "/account");
  const form = tab.getByTestId("delete-account-form");
  // The typed confirmation must be the email: anything else submits nothing.
  await form.getByTestId("delete-confirm").fill("someone-else@example.com");
  await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await form.getByRole("button", { name: "Delete my account" }).click();
  await tab.waitForTimeout(500);
  await expect(tab).toHaveURL(/\/account$/);
  expect((await request.post("/api/auth/login", { form: { email, password: PASSWORD } })).status()).toBe(200);

  await form.getByTestId("delete-confirm").fill(email);
  await form.getByLabel("Password", { exact: true }).fill("not my password");
  await form.getByRole("button", { name: "Delete my account" }).click();
  await expect(form.getByTestId("form-error")).toBeVisible();
  await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await form.getByRole("button", { name: "Delete my account" }).click();

  await expect(tab).toHaveURL(/\/$/);
  await expect(other).toHaveURL(/\/login/, { timeout: 2_000 });
  for (const page of [tab, other]) {
    await expect(page.locator("body[data-session=signed-out]")).toHaveCount(1);
    expect(await page.evaluate(() => document.body.innerHTML)).not.toContain(email);
  }
  // Back towards the account page: nothing of the user comes back.
  await tab.goBack();
  await tab.waitForLoadState();
  await expect(tab.getByTestId("account-email")).toHaveCount(0);
  await expect(tab.locator("body[data-session=signed-out]")).toHaveCount(1);
  expect(await tab.evaluate(() => document.body.innerHTML)).not.toContain(email);
  const gone = await request.post("/api/auth/login", { form: { email, password: PASSWORD } });
  expect(gone.status()).toBe(401);
  const again = await request.post("/api/auth/register", { form: { email, password: NEW_PASSWORD } });
  expect(again.status()).toBe(200);
});

test("unchecking 'keep me signed in' gives cookies that end with the browser", async ({ browser, request }) => {
  const remembered = await browser.newContext();
  const email = await signInNew(await remembered.newPage(), request, "remember");
  const persistent = (await remembered.cookies()).filter((c) => /latchkey_(access|refresh)/.test(c.name));
  expect(persistent).toHaveLength(2);
  for (const cookie of persistent) expect(cookie.expires).toBeGreaterThan(Date.now() / 1000 + 3600);

  const forgetful = await browser.newContext();
  const page = await forgetful.newPage();
  await open(page, "/login");
  await expect(page.getByTestId("remember")).toBeChecked();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByTestId("remember").uncheck();
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/dashboard");
  const session = (await forgetful.cookies()).filter((c) => /latchkey_(access|refresh)/.test(c.name));
  expect(session).toHaveLength(2);
  for (const cookie of session) expect(cookie.expires).toBe(-1);
});
