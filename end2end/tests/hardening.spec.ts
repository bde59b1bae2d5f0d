import { test, expect } from "@playwright/test";
import { AuthForms, createAccount, open, uniqueEmail } from "../fixtures/auth";

test("the hydrated app works under the Content-Security-Policy with no violations", async ({ page, request }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (m.text().includes("Content Security Policy")) violations.push(m.text());
  });
  page.on("pageerror", (e) => violations.push(e.message));
  const email = uniqueEmail("csp");
  await createAccount(request, email);
  await new AuthForms(page).login(email);
  await page.waitForURL("**/dashboard");
  await page.getByTestId("check-session").click();
  await expect(page.getByTestId("session-check")).toContainText("active");
  await open(page, "/sessions");
  await expect(page.getByTestId("session-row").first()).toBeVisible();
  expect(violations).toEqual([]);
});

test("a common password is refused on the register form with a helpful message", async ({ page }) => {
  await new AuthForms(page).register(uniqueEmail("weak"), "Password123");
  await expect(page.getByTestId("form-error")).toContainText("too common");
  await expect(page).toHaveURL(/\/register/);
});

test("the login page shows how long to wait after too many failures", async ({ page, request }) => {
  const email = uniqueEmail("throttle");
  await createAccount(request, email);
  const forms = new AuthForms(page);
  for (let i = 0; i < 5; i++) {
    await forms.login(email, "not the password");
    await expect(forms.formError()).toHaveText("Incorrect email or password.");
  }
  await forms.login(email);
  await expect(forms.formError()).toHaveText(/Too many attempts\. Try again in \d+ seconds\./);
});
