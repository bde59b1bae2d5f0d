import { test, expect } from "@playwright/test";
import { AuthForms, open, signIn, uniqueEmail } from "../fixtures/auth";
import { linkIn, mailFor } from "../fixtures/mail";

test("a sign-in from a new browser is mailed, and 'this wasn't me' signs it out", async ({ browser, request }) => {
  const owner = await (await browser.newContext()).newPage();
  const email = uniqueEmail("notice");
  await new AuthForms(owner).register(email);
  await owner.waitForURL("**/dashboard");

  const userAgent = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0";
  const intruder = await (await browser.newContext({ userAgent })).newPage();
  await signIn(intruder, email);
  const notice = await mailFor(request, email, "New sign-in");
  expect(notice).toContain("Firefox on Android");
  expect(notice).toContain("127.0.0.1");

  await open(owner, linkIn(notice, "/report-sign-in"));
  await expect(owner.getByTestId("sign-in-reported")).toHaveText("That device is signed out.");
  await expect(owner).toHaveURL(/\/report-sign-in$/);
  await expect(owner.getByTestId("change-password-asked")).toBeVisible();
  await owner.getByRole("link", { name: "Change my password" }).click();
  await owner.waitForURL("**/account");
  await expect(owner.getByTestId("change-password-form")).toBeVisible();

  // The intruder is out at its next protected call, and its user is gone from the page.
  await intruder.getByRole("link", { name: "Devices", exact: true }).click();
  await expect(intruder).toHaveURL(/\/login\?reason=ended/);
  expect(await intruder.evaluate(() => document.body.innerHTML)).not.toContain(email);
});
