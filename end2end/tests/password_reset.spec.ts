import { test, expect, type APIRequestContext } from "@playwright/test";
import { PASSWORD, createAccount, open, uniqueEmail } from "../fixtures/auth";

// The :3200 server mails through MailDev (SMTP 127.0.0.1:1026, REST API on :1081).
const MAILDEV = "http://127.0.0.1:1081";
const NEW_PASSWORD = "a brand new passphrase, from the mail";

/** The text of the newest mail MailDev received for `email`, waiting for it. */
async function mailFor(request: APIRequestContext, email: string): Promise<string> {
  let text = "";
  await expect(async () => {
    const mails = (await (await request.get(`${MAILDEV}/email`)).json()) as Array<{
      to: Array<{ address: string }>;
      text: string;
    }>;
    const mine = mails.filter((m) => m.to.some((t) => t.address === email));
    expect(mine.length).toBeGreaterThan(0);
    text = mine[mine.length - 1].text;
  }).toPass({ timeout: 10_000 });
  return text;
}

test("from the forgot-password link to a signed-in dashboard, with the link read from the mail", async ({ page, request }) => {
  const email = uniqueEmail("reset");
  await createAccount(request, email);
  await open(page, "/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.waitForURL("**/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByTestId("reset-sent")).toBeVisible();

  const text = await mailFor(request, email);
  const link = text.match(/http:\/\/127\.0\.0\.1:3200\/reset-password#[A-Za-z0-9_-]{43}/)?.[0];
  expect(link, text).toBeTruthy();
  // A mail scanner that opens the link sends no fragment, and uses nothing up.
  expect((await request.get(link!)).status()).toBe(200);

  await open(page, link!);
  await expect(page).toHaveURL(/\/reset-password$/); // the token left the address bar
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await page.waitForURL("**/dashboard");
  await expect(page.getByTestId("user-email")).toHaveText(email);

  expect((await request.post("/api/auth/login", { form: { email, password: PASSWORD } })).status()).toBe(401);
  expect((await request.post("/api/auth/login", { form: { email, password: NEW_PASSWORD } })).status()).toBe(200);
  // The link works once.
  await page.context().clearCookies();
  await open(page, link!);
  await page.getByLabel("New password").fill("yet another passphrase here");
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page.getByTestId("form-error")).toContainText("link");
});
