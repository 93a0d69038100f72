// Sortie as a user meets it: the package is packed, a new app is scaffolded with the packed
// CLI in a folder outside the repository, the tarball installed there from npm's cache, and
// the app type-checked, built, tested, served by `npm run dev`, used in Chromium with and
// without JavaScript, and dry-run deployed. Everything started is stopped in afterAll.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectCompatibility } from "../../../scripts/compatibility.ts";
import { wranglerEnv } from "../../../scripts/wrangler-env.ts";
import { REPO } from "../build/helpers.ts";
import { launchChromium } from "../e2e/browser.ts";
import { freePort, startServerProcess, type DevServer } from "../e2e/dev-server.ts";

const work = mkdtempSync(join(tmpdir(), "sortie-package-"));
const env = wranglerEnv({ npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" });
let sortieTarball = "";
let createTarball = "";
let packedFiles: string[] = [];
let app = "";
let server: DevServer | undefined;
let browser: Browser | undefined;

/** Runs a command to completion (bounded); fails the test with its output when it fails. */
function run(command: string, args: string[], cwd: string, timeout = 180_000): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", timeout, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} in ${cwd} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

function pack(folder: string): { filename: string; files: string[] } {
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], folder).stdout) as { filename: string; files: { path: string }[] }[];
  return { filename: join(work, packed!.filename), files: packed!.files.map((file) => file.path) };
}

beforeAll(() => {
  const sortie = pack(REPO);
  sortieTarball = sortie.filename;
  packedFiles = sortie.files;
  createTarball = pack(join(REPO, "create-sortie")).filename;
  // The packed CLI, as `npx sortie init` runs it: installed from the tarball in a tools folder.
  const tools = join(work, "tools");
  mkdirSync(tools);
  run("npm", ["init", "-y"], tools);
  run("npm", ["install", "--prefer-offline", sortieTarball, createTarball], tools);
  run(join(tools, "node_modules/.bin/sortie"), ["init", "my-app"], work);
  app = join(work, "my-app");
  // As if published: the app's sortie dependency is the tarball; a plain install runs its postinstall.
  const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
  manifest.dependencies.sortie = `file:${sortieTarball}`;
  writeFileSync(join(app, "package.json"), JSON.stringify(manifest, null, 2));
  run("npm", ["install", "--prefer-offline"], app);
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("the sortie package", () => {
  it("holds compiled JavaScript, types, the template, README and LICENSE, and nothing else", () => {
    const outside = packedFiles.filter((file) => !/^(lib\/|template\/|package\.json$|README\.md$|LICENSE$)/.test(file));
    expect(outside).toEqual([]);
    expect(packedFiles.filter((file) => file.startsWith("lib/") && /(?<!\.d)\.tsx?$/.test(file))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
    for (const [specifier, target] of Object.entries<Record<string, string> | string>(manifest.exports)) {
      if (typeof target === "string") continue;
      expect(packedFiles, specifier).toContain(target.types!.slice(2));
      expect(packedFiles, specifier).toContain(target.default!.slice(2));
    }
    expect(packedFiles).toContain(manifest.bin.sortie);
  });

  it("create-sortie writes the same app as sortie init", () => {
    run(join(work, "tools/node_modules/.bin/create-sortie"), ["other-app"], work);
    const files = (folder: string) => (readdirSync(folder, { recursive: true }) as string[]).filter((file) => !/^(node_modules|dist|\.wrangler)|^(package-lock\.json|worker-configuration\.d\.ts|\.dev\.vars)$/.test(file)).sort();
    expect(files(join(work, "other-app"))).toEqual(files(app));
  });

  it("scaffolds a wrangler.toml with the compatibility date the pinned wrangler accepts", () => {
    expect(readFileSync(join(app, "wrangler.toml"), "utf8")).toContain(`compatibility_date = "${projectCompatibility().date}"`);
  });

  it("type-checks, builds and passes its own tests (npm test)", () => {
    const result = run("npm", ["test"], app);
    expect(result.stdout).toMatch(/sortie build: dist\/worker\/index\.js/);
    expect(result.stdout).toMatch(/pass 2\b/);
    expect(result.stdout).toMatch(/fail 0\b/);
  });

  it("serves with npm run dev, passing wrangler flags through", async () => {
    const port = await freePort();
    server = await startServerProcess({
      command: "npm",
      args: ["run", "dev", "--", "--port", String(port), "--ip", "127.0.0.1", "--show-interactive-dev-session=false"],
      cwd: app,
      env,
      url: `http://127.0.0.1:${port}`,
    });
    expect(readFileSync(join(app, ".dev.vars"), "utf8")).toMatch(/^SESSION_SECRET=\S{32,}$/m);
    expect(server.output()).toContain("[custom build] sortie build:");
  }, 90_000);

  it("with JavaScript, a vote is one request that brings the fresh count", async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    const calls: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/_server/")) calls.push(`${request.method()} X-Sortie: ${request.headers()["x-sortie"]}`);
    });
    await page.goto(server!.url); // after "load": the entry module ran, start() took over the forms
    const before = Number(await page.getByTestId("votes-spaces").textContent());
    await page.getByRole("button", { name: "Vote spaces" }).click();
    await expect.poll(() => page.getByTestId("votes-spaces").textContent()).toBe(String(before + 1));
    expect(calls).toEqual(["POST X-Sortie: 1"]); // a stub call: no second request for the data
    expect(page.url()).toBe(`${server!.url}/`);
  });

  it("without JavaScript, a vote posts the form and a 303 brings the fresh page", async () => {
    const context = await browser!.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const statuses: number[] = [];
    page.on("response", (response) => {
      if (response.request().method() === "POST") statuses.push(response.status());
    });
    await page.goto(server!.url);
    const before = Number(await page.getByTestId("votes-tabs").textContent());
    await Promise.all([page.waitForURL(`${server!.url}/`), page.getByRole("button", { name: "Vote tabs" }).click()]);
    await page.waitForLoadState("load");
    expect(statuses).toEqual([303]);
    expect(await page.getByTestId("votes-tabs").textContent()).toBe(String(before + 1));
    await page.getByRole("button", { name: "Vote COBOL" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("is not on the ballot");
    await context.close();
  });

  it("dry-run deploys", () => {
    const result = run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", join(work, "dry-run")], app);
    expect(result.stdout + result.stderr).toContain("--dry-run: exiting now.");
  });
});
