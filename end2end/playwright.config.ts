import { defineConfig, devices } from "@playwright/test";

// The server is started by the test script (.ci/test.sh) or by `webServer` below, from the
// debug build, on a fresh SQLite database. Chromium is Debian's: never `npx playwright install`.
const port = Number(process.env.E2E_PORT ?? 3000);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/results.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: process.env.LATCHKEY_BIN
    ? {
        command: `"${process.env.LATCHKEY_BIN}"`,
        cwd: "..",
        env: {
          LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
          LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? "target/site",
          LEPTOS_SITE_PKG_DIR: "pkg",
          DATABASE_URL: process.env.E2E_DATABASE_URL ?? "sqlite://target/e2e.db?mode=rwc",
          COOKIE_SECURE: "false",
          ACCESS_TOKEN_TTL: process.env.ACCESS_TOKEN_TTL ?? "300",
          RUST_LOG: "warn",
        },
        url: `${baseURL}/`,
        reuseExistingServer: false,
        timeout: 60_000,
      }
    : undefined,
});
