// `npx node bench/bundle/run.ts`: what the demo app's product page costs on the wire. The real
// demo (app/) is built with the real build and served by `wrangler dev`; Chromium opens
// /products/1 with JavaScript on and the script records every JavaScript file the page loads
// (as served, gzip -6, source maps are never loaded), then renames the product through the
// page's form and records the one response that carries the result and the fresh product.
import { gzipSync } from "node:zlib";
import type { Response } from "playwright-core";
import { launchChromium } from "../../test/node/e2e/browser.ts";
import { startDemo } from "../../test/node/e2e/demo-server.ts";

const PAGE_BUDGET = 12 * 1024;
const RENAME_BUDGET = 300;
const NEW_NAME = "Trail Runner Pro";
// Strings the schema libraries' code keeps when minified: valibot's Standard Schema vendor (the
// demo's library) and zod's issue codes. Found in the Worker, which runs the schemas.
const VALIDATOR_MARKERS = ['vendor:"valibot"', "invalid_type", "too_small"];

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
const gzip = (bytes: Buffer) => gzipSync(bytes, { level: 6 }).length;

const demo = await startDemo("production");
const browser = await launchChromium().catch(async (error: unknown) => {
  await demo.stop();
  throw error;
});
try {
  // Renaming needs a signed-in user (app/auth/user.ts): sign in on the home page first, then
  // measure in a fresh context (nothing cached) that carries the session cookie.
  const signIn = await browser.newPage();
  await signIn.goto(`${demo.url}/`);
  await signIn.waitForSelector("html[data-started]", { state: "attached" });
  await signIn.fill("#sign-in-name", "Bench");
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await signIn.waitForSelector("[data-testid=welcome]", { state: "visible" });
  const context = await browser.newContext();
  await context.addCookies(await signIn.context().cookies());
  const page = await context.newPage();
  const scripts: Response[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.endsWith(".js")) scripts.push(response);
  });
  await page.goto(`${demo.url}/products/1`);
  await page.waitForSelector("html[data-started]", { state: "attached" });
  await page.waitForLoadState("networkidle");

  console.log(`bundle benchmark: the demo's /products/1 in Chromium, served by wrangler dev (production build)\n`);
  console.log("JavaScript the page loads (as served; gzip -6):");
  let raw = 0;
  let packed = 0;
  for (const response of scripts) {
    const body = await response.body();
    raw += body.length;
    packed += gzip(body);
    console.log(`  ${new URL(response.url()).pathname.padEnd(34)} ${String(body.length).padStart(6)} B   ${kb(gzip(body)).padStart(9)} gzip`);
  }
  const pageWithin = packed <= PAGE_BUDGET;
  console.log(`  total: ${scripts.length} files, ${raw} B, ${kb(packed)} gzip (target ≤ ${PAGE_BUDGET / 1024} KB: ${pageWithin ? "within" : "OVER"})`);
  // The demo's functions declare valibot schemas; none may reach a page that only posts a form.
  const bodies = await Promise.all(scripts.map(async (response) => (await response.body()).toString("utf8")));
  const validator = bodies.some((body) => VALIDATOR_MARKERS.some((marker) => body.includes(marker)));
  console.log(`  schema library (valibot, zod) in the page's JavaScript: ${validator ? "YES (target: none)" : "none"}\n`);

  await page.fill("input[name=name]", NEW_NAME);
  // The rename's response as the Worker sent it, taken on its way to the page (Chromium may
  // report a finished no-store stream as aborted and then keeps no body: playwright#42742).
  const renames: { url: string; body: Buffer; head: number }[] = [];
  await page.route("**/_server/**", async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    const headers = response.headersArray();
    const head = Buffer.byteLength([`HTTP/1.1 ${response.status()} ${response.statusText()}`, ...headers.map(({ name, value }) => `${name}: ${value}`)].join("\r\n") + "\r\n\r\n");
    renames.push({ url: route.request().url(), body, head });
    await route.fulfill({ response, body });
  });
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForFunction((name) => document.querySelector("[data-testid=product-name]")?.textContent?.trim() === name, NEW_NAME);
  if (renames.length !== 1) throw new Error(`expected one request for the rename, saw ${renames.length}`);
  const [{ url, body, head }] = renames as [(typeof renames)[0]];
  const renameWithin = body.length <= RENAME_BUDGET;
  console.log(`The rename (one POST ${new URL(url).pathname}, name "${NEW_NAME}"):`);
  console.log(`  response body: ${body.length} B (target ≤ ${RENAME_BUDGET} B: ${renameWithin ? "within" : "OVER"})`);
  console.log(`  headers, not counted above: ${head} B (status line and header lines as HTTP/1.1 sends them)`);
  console.log(`  body, record by record:\n${body.toString("utf8").trimEnd().split("\n").map((line) => `    ${line}`).join("\n")}`);
  if (!pageWithin || !renameWithin || validator) process.exitCode = 1;
} finally {
  await browser.close();
  await demo.stop();
}
