import { defineConfig, devices } from "@playwright/test";

// Two servers from the same debug build, each on a fresh SQLite database:
//   :3000 default lifetimes (sign-in flows)
//   :3100 ACCESS_TOKEN_TTL=3, REFRESH_REUSE_GRACE=1 (silent refresh, rotation, reuse)
// Chromium is Debian's: never `npx playwright install`.
const bin = process.env.LATCHKEY_BIN;
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? "target/site";

function server(port: number, db: string, extra: Record<string, string> = {}) {
  return {
    command: `"${bin}"`,
    cwd: "..",
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      LEPTOS_SITE_PKG_DIR: "pkg",
      DATABASE_URL: `sqlite://target/${db}?mode=rwc`,
      COOKIE_SECURE: "false",
      IP_RATE_LIMIT: "600", // every test comes from 127.0.0.1
      RUST_LOG: "warn",
      ...extra,
    },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  };
}

const chromium = {
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
};

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/results.json" }]],
  use: { trace: "retain-on-failure" },
  projects: [
    {
      name: "chromium",
      testIgnore: /silent_refresh/,
      use: { ...chromium, baseURL: "http://127.0.0.1:3000" },
    },
    {
      name: "short-lived-tokens",
      testMatch: /silent_refresh/,
      use: { ...chromium, baseURL: "http://127.0.0.1:3100" },
    },
  ],
  webServer: bin
    ? [
        server(3000, "e2e.db"),
        server(3100, "e2e-short.db", { ACCESS_TOKEN_TTL: "3", REFRESH_REUSE_GRACE: "1" }),
      ]
    : undefined,
});
