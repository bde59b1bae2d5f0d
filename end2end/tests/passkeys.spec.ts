import { test, expect, type Page, type CDPSession } from "@playwright/test";
import { AuthForms, open, uniqueEmail } from "../fixtures/auth";

// Passkeys need a relying party with a domain name: this project opens the site as
// http://localhost:3300, and Chromium's virtual authenticator (CDP WebAuthn domain) stands in for
// the device: a platform authenticator with resident keys that verifies the user.
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function toAccount(page: Page) {
  await page.getByRole("link", { name: "Account", exact: true }).click();
  await page.waitForURL("**/account");
  return page.getByTestId("passkeys");
}

test("a passkey added on the account page signs in on its own; removed, it signs nobody in", async ({ page }) => {
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  const email = uniqueEmail("passkey");
  const forms = new AuthForms(page);
  await forms.register(email);
  await page.waitForURL("**/dashboard");
  let section = await toAccount(page);
  await expect(section).toContainText("No passkeys yet");
  await section.getByLabel("Name (optional)").fill("Test laptop");
  await section.getByTestId("add-passkey").click();
  await expect(section.getByTestId("passkey-name")).toHaveText(["Test laptop"]);
  await expect(section.getByTestId("passkey-row")).toContainText("never used");
  // The account is asked for again once (it now lists "passkey"), not over and over.
  let asked = 0;
  page.on("request", (r) => { if (r.url().endsWith("/api/auth/me")) asked += 1; });
  await page.waitForTimeout(2_000);
  expect(asked).toBeLessThanOrEqual(1);
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0].isResidentCredential).toBe(true);
  expect(credentials[0].rpId).toBe("localhost");

  // No email typed: the authenticator offers the account, and the page you came from opens.
  await forms.logout();
  await open(page, "/login?next=/sessions");
  await page.getByTestId("passkey-sign-in").click();
  await page.waitForURL("**/sessions");
  await expect(page.getByTestId("session-row").first()).toBeVisible();
  section = await toAccount(page);
  await expect(page.getByTestId("account-email")).toHaveText(email);
  await expect(section.getByTestId("passkey-row")).toContainText("last used");

  // Removing it (the sign-in was just now: no password asked) leaves the device's key useless.
  await section.getByTestId("remove-passkey").click();
  await expect(section).toContainText("No passkeys yet");
  await forms.logout();
  await open(page, "/login");
  await page.getByTestId("passkey-sign-in").click();
  await expect(page.getByTestId("form-error")).toContainText("not accepted");
  await open(page, "/dashboard");
  await page.waitForURL("**/login**");
});

test.describe("after the sudo window", () => {
  // A server with REAUTH_WINDOW=10 (see playwright.config.ts).
  test.use({ baseURL: "http://localhost:3301" });

  test("the sudo prompt confirms with a passkey, then the action runs", async ({ page }) => {
    await virtualAuthenticator(page);
    const forms = new AuthForms(page);
    await forms.register(uniqueEmail("passkey-sudo"));
    await page.waitForURL("**/dashboard");
    const section = await toAccount(page);
    await section.getByTestId("add-passkey").click();
    await expect(section.getByTestId("passkey-row")).toHaveCount(1);
    await page.waitForTimeout(11_000); // past the window: removing needs a fresh proof
    await section.getByTestId("remove-passkey").click();
    const prompt = section.getByTestId("sudo-prompt");
    await expect(prompt).toContainText("password");
    await prompt.getByTestId("sudo-passkey").click();
    await expect(section).toContainText("No passkeys yet");
  });
});
