// What a browser downloads, and how soon a page is usable, with Debian's Chromium against the
// release server: for each route, a first visit with an empty cache (every response's bytes on
// the wire, headers included, as this server sent them), and the time from navigation start
// to an interactive sign-in form (median of 10), for a first load and for a client navigation.
//   node benches/first_visit.mjs <base url> <email> <password>     (benches/first_visit.sh runs it)
import { chromium } from "../end2end/node_modules/@playwright/test/index.mjs";

const [base, email, password] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

async function signedInContext() {
  const context = await browser.newContext({ extraHTTPHeaders: { "accept-encoding": "br, gzip" } });
  const reply = await context.request.post(`${base}/api/auth/login`, { form: { email, password } });
  if (reply.status() !== 200) throw new Error(`sign-in: ${reply.status()}`);
  return context;
}

async function firstVisit(path, signedIn) {
  const context = signedIn ? await signedInContext() : await browser.newContext({ extraHTTPHeaders: { "accept-encoding": "br, gzip" } });
  const page = await context.newPage();
  const responses = [];
  page.on("requestfinished", async (request) => {
    const sizes = await request.sizes();
    const response = await request.response();
    responses.push({ url: new URL(request.url()).pathname, bytes: sizes.responseBodySize + sizes.responseHeadersSize, encoding: response?.headers()["content-encoding"] ?? "" });
  });
  await page.goto(`${base}${path}`);
  await page.locator("body[data-hydrated=true]").waitFor();
  await page.waitForLoadState("networkidle");
  await context.close();
  const total = responses.reduce((sum, r) => sum + r.bytes, 0);
  const code = responses.filter((r) => /\.(wasm|js)$/.test(r.url)).reduce((sum, r) => sum + r.bytes, 0);
  return { path, total, code, requests: responses.length, encodings: [...new Set(responses.map((r) => r.encoding).filter(Boolean))].join(",") };
}

// A client navigation after a first visit: what moving from one page to another downloads (code
// only for a page not seen yet, never code the tab already has).
async function navigation(from, linkName, signedIn) {
  const context = signedIn ? await signedInContext() : await browser.newContext({ extraHTTPHeaders: { "accept-encoding": "br, gzip" } });
  const page = await context.newPage();
  await page.goto(`${base}${from}`);
  await page.locator("body[data-hydrated=true]").waitFor();
  await page.waitForLoadState("networkidle");
  const responses = [];
  page.on("requestfinished", async (request) => {
    const sizes = await request.sizes();
    responses.push({ url: new URL(request.url()).pathname, bytes: sizes.responseBodySize + sizes.responseHeadersSize, type: request.resourceType() });
  });
  await page.getByRole("link", { name: linkName }).first().click();
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(300);
  await context.close();
  const code = responses.filter((r) => /\.(wasm|js)$/.test(r.url));
  return {
    total: responses.reduce((sum, r) => sum + r.bytes, 0),
    code: code.reduce((sum, r) => sum + r.bytes, 0),
    files: code.map((r) => r.url.split("/").pop().replace(/\.[^.]+\.(wasm|js)$/, ".$1")).join(" "),
    documents: responses.filter((r) => r.type === "document").length,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeToForm(clientNavigation) {
  const times = [];
  for (let i = 0; i < 10; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (clientNavigation) {
      await page.goto(`${base}/`);
      await page.locator("body[data-hydrated=true]").waitFor();
      const start = await page.evaluate(() => performance.now());
      await page.getByRole("link", { name: "Sign in" }).first().click();
      await page.locator("[data-testid=login-form] input[name=email]").waitFor();
      times.push((await page.evaluate(() => performance.now())) - start);
    } else {
      await page.goto(`${base}/login`);
      await page.locator("body[data-hydrated=true]").waitFor();
      times.push(await page.evaluate(() => performance.now())); // since navigation start
    }
    await context.close();
  }
  return median(times);
}

console.log("| route (first visit, empty cache) | bytes on the wire | of which JS + WASM | requests | encodings |");
console.log("|---|---|---|---|---|");
for (const [path, signedIn] of [["/login", false], ["/register", false], ["/", false], ["/dashboard", true], ["/sessions", true], ["/notes", true]]) {
  const r = await firstVisit(path, signedIn);
  console.log(`| ${r.path}${signedIn ? " (signed in)" : ""} | ${r.total} | ${r.code} | ${r.requests} | ${r.encodings} |`);
}
console.log("");
console.log("| client navigation (after the first visit) | bytes on the wire | of which JS + WASM | code files fetched | documents |");
console.log("|---|---|---|---|---|");
for (const [from, link, signedIn, label] of [["/", "Sign in", false, "/ → /login"], ["/dashboard", "Devices", true, "/dashboard → /sessions"], ["/dashboard", "Notes", true, "/dashboard → /notes"]]) {
  const r = await navigation(from, link, signedIn);
  console.log(`| ${label} | ${r.total} | ${r.code} | ${r.files || "none"} | ${r.documents} |`);
}
console.log("");
console.log(`| time to an interactive sign-in form (median of 10) | ms |`);
console.log(`|---|---|`);
console.log(`| first load of /login | ${(await timeToForm(false)).toFixed(0)} |`);
console.log(`| client navigation / → /login | ${(await timeToForm(true)).toFixed(0)} |`);
await browser.close();
