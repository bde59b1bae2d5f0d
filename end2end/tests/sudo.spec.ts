import { test, expect } from "@playwright/test";
import { PASSWORD, open, signInNew } from "../fixtures/auth";

// Runs against the short-lived server: ACCESS_TOKEN_TTL=3, REAUTH_WINDOW=4.

test("after the sudo window, logging out other devices asks for the password, then works when repeated", async ({ browser, request }) => {
  const laptop = await (await browser.newContext()).newPage();
  const email = await signInNew(laptop, request, "sudo");
  const phone = await (await browser.newContext()).newPage();
  await open(phone, "/login");
  await phone.getByLabel("Email").fill(email);
  await phone.getByLabel("Password").fill(PASSWORD);
  await phone.getByRole("button", { name: "Sign in" }).click();
  await phone.waitForURL("**/dashboard");
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
  await expect(laptop.getByTestId("sudo-confirmed")).toBeVisible();
  await expect(laptop.getByTestId("session-row")).toHaveCount(3); // still not replayed on its own
  await laptop.getByTestId("logout-others").click();
  await expect(laptop.getByTestId("session-row")).toHaveCount(1);
  await expect(laptop).toHaveURL(/\/sessions$/);
  // The phone learns at its next refresh (its access token lives 3 s).
  await expect(phone).toHaveURL(/\/login\?reason=ended/, { timeout: 8_000 });
});
