import { test, expect } from "@playwright/test";
import { PASSWORD, createAccount, open, uniqueEmail } from "../fixtures/auth";
import { linkIn, mailFor } from "../fixtures/mail";

const NEW_PASSWORD = "a brand new passphrase, from the mail";

test("from the forgot-password link to a signed-in dashboard, with the link read from the mail", async ({ page, request }) => {
  const email = uniqueEmail("reset");
  await createAccount(request, email);
  await open(page, "/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.waitForURL("**/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByTestId("reset-sent")).toBeVisible();

  const link = linkIn(await mailFor(request, email, "Reset"), "/reset-password");
  // A mail scanner that opens the link sends no fragment, and uses nothing up.
  expect((await request.get(link)).status()).toBe(200);

  await open(page, link);
  await expect(page).toHaveURL(/\/reset-password$/); // the token left the address bar
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await page.waitForURL("**/dashboard");
  await expect(page.getByTestId("user-email")).toHaveText(email);

  expect((await request.post("/api/auth/login", { form: { email, password: PASSWORD } })).status()).toBe(401);
  expect((await request.post("/api/auth/login", { form: { email, password: NEW_PASSWORD } })).status()).toBe(200);
  // The link works once.
  await page.context().clearCookies();
  await open(page, link);
  await page.getByLabel("New password").fill("yet another passphrase here");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page.getByTestId("form-error")).toContainText("link");
});
