import { defineConfig, devices } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";

// Every server the suite needs, started here from the latest build (so `npx playwright test`,
// `.ci/test.sh` and `cargo leptos end2end` all work; cargo-leptos's own server on :3000 is not
// used), each on a fresh SQLite database:
//   :3200 default lifetimes (sign-in flows); its mail goes to MailDev (SMTP :1026, REST API :1081)
//   :3100 ACCESS_TOKEN_TTL=3, REFRESH_REUSE_GRACE=2, REAUTH_WINDOW=4 (silent refresh, rotation,
//         reuse, sudo)
//   :3300 default lifetimes, opened as http://localhost:3300 (passkeys: a relying party is a
//         domain, never an IP address); :3301 the same with REAUTH_WINDOW=10 (sudo by passkey)
// Chromium is Debian's (CHROMIUM_PATH to use another): never `npx playwright install`.
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(__dirname, "..", "target");
const bin = process.env.LATCHKEY_BIN ?? newest(["debug", "release"].map((p) => path.join(targetDir, p, "latchkey")));
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(__dirname, "..", "target", "site");

function newest(candidates: string[]): string {
  const built = candidates.filter((f) => fs.existsSync(f));
  built.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return built[0] ?? candidates[0];
}

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
    url: `http://127.0.0.1:${port}/api/health`,
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
      testIgnore: /silent_refresh|sudo|passkeys/,
      use: { ...chromium, baseURL: "http://127.0.0.1:3200" },
    },
    {
      name: "short-lived-tokens",
      testMatch: /silent_refresh|sudo/,
      use: { ...chromium, baseURL: "http://127.0.0.1:3100" },
    },
    {
      name: "passkeys",
      testMatch: /passkeys/,
      use: { ...chromium, baseURL: "http://localhost:3300" },
    },
  ],
  webServer: [
    {
      command: "node ../tools/node_modules/maildev/bin/maildev --smtp 1026 --web 1081 --ip 127.0.0.1 --web-ip 127.0.0.1",
      url: "http://127.0.0.1:1081/healthz",
      reuseExistingServer: false,
      timeout: 30_000,
    },
    server(3200, "e2e.db", { SMTP_URL: "smtp://127.0.0.1:1026", PUBLIC_ORIGIN: "http://127.0.0.1:3200" }),
    server(3100, "e2e-short.db", { ACCESS_TOKEN_TTL: "3", REFRESH_REUSE_GRACE: "2", REAUTH_WINDOW: "4" }),
    server(3300, "e2e-passkeys.db"),
    server(3301, "e2e-passkeys-sudo.db", { REAUTH_WINDOW: "10" }),
  ],
});
