import { test, expect } from "@playwright/test";
import { AuthForms, open, uniqueEmail } from "../fixtures/auth";
import { linkIn, mailFor } from "../fixtures/mail";

test("a new account sees the banner until it opens the link from the mail", async ({ page, request }) => {
  const email = uniqueEmail("verify");
  await new AuthForms(page).register(email);
  await page.waitForURL("**/dashboard");
  await expect(page.getByTestId("verify-banner")).toContainText(email);

  const link = linkIn(await mailFor(request, email, "Confirm"), "/verify-email");
  await open(page, link);
  await expect(page.getByTestId("link-done")).toBeVisible();
  await expect(page).toHaveURL(/\/verify-email$/); // the token left the address bar
  await expect(page.getByTestId("verify-banner")).toHaveCount(0);
  await open(page, "/dashboard");
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await expect(page.getByTestId("verify-banner")).toHaveCount(0);
  // The link works once.
  await open(page, link);
  await expect(page.getByTestId("form-error")).toContainText("link");
});
