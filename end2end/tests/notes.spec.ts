import { test, expect } from "@playwright/test";
import { AuthForms, createAccount, uniqueEmail } from "../fixtures/auth";

// The worked example of the README's "Add a protected page and server function".

test("the notes page is protected, and a note is added and deleted without a page load", async ({ page, request }) => {
  await page.goto("/notes");
  await page.waitForURL("**/login?next=/notes");
  const email = uniqueEmail("notes");
  await createAccount(request, email);
  await new AuthForms(page).login(email, undefined, "/login?next=/notes");
  await page.waitForURL("**/notes");
  const documents: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "document") documents.push(r.url());
  });
  await page.getByLabel("New note").fill("buy milk");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByTestId("note")).toHaveCount(1);
  await expect(page.getByTestId("note")).toContainText("buy milk");
  await expect(page.getByLabel("New note")).toHaveValue("");
  await page.getByTestId("delete-note").click();
  await expect(page.getByTestId("note")).toHaveCount(0);
  expect(documents).toEqual([]);
});
