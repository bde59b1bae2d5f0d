import { test, expect } from "@playwright/test";
import { AuthForms, PASSWORD, open, uniqueEmail } from "../fixtures/auth";
import { linkIn, mailFor } from "../fixtures/mail";

test("an email change lands when the link mailed to the new address is opened", async ({ page, request }) => {
  const email = uniqueEmail("move-from");
  const newEmail = uniqueEmail("move-to");
  await new AuthForms(page).register(email);
  await page.waitForURL("**/dashboard");
  await page.getByRole("link", { name: "Account", exact: true }).click();
  await page.waitForURL("**/account");

  const form = page.getByTestId("change-email-form");
  await form.getByLabel("New email").fill(email);
  await form.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(form.getByRole("alert")).toContainText("already your address");
  await form.getByLabel("New email").fill(newEmail);
  await form.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByTestId("email-change-sent")).toContainText(newEmail);
  await expect(page.getByTestId("account-email")).toHaveText(email); // nothing changed yet

  expect(await mailFor(request, email, "is being changed")).toContain(newEmail);
  const link = linkIn(await mailFor(request, newEmail, "Confirm your new"), "/confirm-email-change");
  await open(page, link);
  await expect(page.getByTestId("link-done")).toBeVisible();
  await expect(page).toHaveURL(/\/confirm-email-change$/); // the token left the address bar
  await open(page, "/account");
  await expect(page.getByTestId("account-email")).toHaveText(newEmail);

  const old = await request.post("/api/auth/login", { form: { email, password: PASSWORD } });
  expect(old.status()).toBe(401);
  await open(page, link);
  await expect(page.getByTestId("form-error")).toContainText("link");
});
