import { test, expect } from "@playwright/test";
import { AuthForms, PASSWORD, open, uniqueEmail } from "../fixtures/auth";
import { totpCode } from "../fixtures/totp";

test("two-step sign-in: enrol with the QR key, then sign in with a code and with a recovery code", async ({ page }) => {
  const email = uniqueEmail("totp");
  const forms = new AuthForms(page);
  await forms.register(email);
  await page.waitForURL("**/dashboard");
  await page.getByRole("link", { name: "Account", exact: true }).click();
  await page.waitForURL("**/account");

  const section = page.getByTestId("two-step");
  await section.getByTestId("totp-setup").click();
  await expect(section.locator(".qr svg")).toBeVisible(); // drawn by the server
  const secret = (await section.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await section.getByLabel("Code from the app").fill("000000" === totpCode(secret) ? "111111" : "000000");
  await section.getByRole("button", { name: "Turn on" }).click();
  await expect(section.getByRole("alert")).toContainText("not right");
  const enabledAt = Date.now() / 1000;
  await section.getByLabel("Code from the app").fill(totpCode(secret, enabledAt));
  await section.getByRole("button", { name: "Turn on" }).click();
  const codes = section.getByTestId("recovery-codes").locator("li");
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.first().textContent())!.trim();
  await expect(section.getByTestId("two-step-on")).toBeVisible();

  // A password alone is not enough any more: the code page asks for the next code.
  await forms.logout();
  await forms.login(email, PASSWORD, "/login?next=/sessions");
  await page.waitForURL("**/login/code**");
  await expect(page.getByTestId("user-email")).toHaveCount(0);
  const form = page.getByTestId("second-factor-form");
  await form.getByLabel("Code").fill(totpCode(secret, enabledAt + 30));
  await form.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL("**/sessions");
  await expect(page.getByTestId("session-row").first()).toBeVisible();

  // A recovery code works once.
  await forms.logout();
  await forms.login(email);
  await page.waitForURL("**/login/code**");
  await form.getByLabel("Code").fill(recovery);
  await form.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL("**/dashboard");
  await forms.logout();
  await forms.login(email);
  await page.waitForURL("**/login/code**");
  await form.getByLabel("Code").fill(recovery);
  await form.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("form-error")).toContainText("used already");
  await open(page, "/dashboard");
  await page.waitForURL("**/login**"); // no session came of it
});
