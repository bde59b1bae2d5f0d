import { test, expect } from "@playwright/test";
import { PASSWORD, open, signIn, signInNew } from "../fixtures/auth";

// Runs against the short-lived server: ACCESS_TOKEN_TTL=3, REAUTH_WINDOW=4.

test("after the sudo window, logging out other devices asks for the password, then runs once it is confirmed", async ({ browser, request }) => {
  const laptop = await (await browser.newContext()).newPage();
  const email = await signInNew(laptop, request, "sudo");
  const phone = await (await browser.newContext()).newPage();
  await signIn(phone, email);
  await open(laptop, "/sessions");
  // The laptop, the phone, and the account's creation over the API.
  await expect(laptop.getByTestId("session-row")).toHaveCount(3);
  await laptop.waitForTimeout(4_500); // past REAUTH_WINDOW; the silent refresh keeps both signed in
  await laptop.getByTestId("logout-others").click();
  await expect(laptop.getByTestId("sudo-prompt")).toBeVisible();
  await expect(laptop.getByTestId("session-row")).toHaveCount(3); // nothing happened on its own
  await laptop.getByTestId("sudo-prompt").getByLabel("Password").fill("not the password");
  await laptop.getByTestId("sudo-prompt").getByRole("button", { name: "Confirm" }).click();
  await expect(laptop.getByTestId("sudo-error")).toBeVisible();
  await laptop.getByTestId("sudo-prompt").getByLabel("Password").fill(PASSWORD);
  await laptop.getByTestId("sudo-prompt").getByRole("button", { name: "Confirm" }).click();
  // Confirmed: the action runs again, once, on its own.
  await expect(laptop.getByTestId("logout-others-done")).toBeVisible();
  await expect(laptop.getByTestId("session-row")).toHaveCount(1);
  await expect(laptop.getByTestId("sudo-prompt")).toHaveCount(0);
  await expect(laptop).toHaveURL(/\/sessions$/);
  // The phone learns at its next refresh (its access token lives 3 s).
  await expect(phone).toHaveURL(/\/login\?reason=ended/, { timeout: 8_000 });
});

test("on the account page the sudo prompt appears after the window, and the action runs once confirmed", async ({ browser, request }) => {
  const laptop = await (await browser.newContext()).newPage();
  const email = await signInNew(laptop, request, "sudo-account");
  const phone = await (await browser.newContext()).newPage();
  await signIn(phone, email);
  await laptop.getByRole("link", { name: "Account", exact: true }).click();
  await laptop.waitForURL("**/account");
  await laptop.waitForTimeout(4_500); // past REAUTH_WINDOW
  await laptop.getByTestId("logout-others").click();
  const prompt = laptop.getByTestId("sudo-prompt");
  await expect(prompt).toBeVisible();
  await expect(laptop.getByTestId("logout-others-done")).toHaveCount(0);
  await prompt.getByLabel("Password").fill(PASSWORD);
  await prompt.getByRole("button", { name: "Confirm" }).click();
  await expect(laptop.getByTestId("logout-others-done")).toBeVisible();
  await expect(phone).toHaveURL(/\/login\?reason=ended/, { timeout: 8_000 });
  await expect(laptop).toHaveURL(/\/account$/);
});
