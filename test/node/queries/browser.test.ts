// The client side in a real browser: start() warms the cache from the page, <QueryValue>
// and islands follow single-flight records, islands load hono/jsx/dom lazily, redirects
// navigate, a streamed page's late redirect and late error reach the user with JavaScript on
// and off, and all of it under a strict CSP. The app (./app) is built with the real build
// and served by `wrangler dev`; Chromium drives it.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../e2e/browser.ts";
import { startDevServer, type DevServer } from "../e2e/dev-server.ts";
import { openPage, serverCalls } from "../e2e/page-visit.ts";
import { buildProject, type BuiltProject } from "./project.ts";

let project: BuiltProject | undefined;
let server: DevServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  project = await buildProject({ workerEntry: "test/node/queries/app/worker.ts", clientEntry: "test/node/queries/app/client.ts" });
  server = await startDevServer({ root: project.root, mode: "production" });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await project?.remove();
});

const visit = (path: string) => openPage(browser!, server!.url + path);
const scripts = (requests: string[]) => requests.filter((request) => request.endsWith(".js")).map((request) => request.split(" ")[1]);

describe("in the browser", () => {
  it("starts warm: <QueryValue> and the island show the server's data without a request, and the island is live", async () => {
    const { page, requests, problems } = await visit("/products/10");
    expect(await page.textContent("h1")).toBe("Lamp");
    expect(await page.textContent("#like")).toBe("3 likes for Lamp");
    await page.click("#like");
    await page.waitForFunction(() => document.querySelector("#like")?.textContent === "4 likes for Lamp");
    expect(serverCalls(requests)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("one click, one request: the fresh value reaches <QueryValue> and the island", async () => {
    const { page, requests, problems } = await visit("/products/11");
    await page.click("#rename");
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Brass lamp");
    await page.waitForFunction(() => document.querySelector("#like")?.textContent === "3 likes for Brass lamp");
    expect(serverCalls(requests)).toEqual([`POST /_server/${encodeURIComponent(project!.idOf("renameProduct"))}`]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a page without islands loads only the entry and its static imports, never hono/jsx/dom", async () => {
    const withIslands = await visit("/products/12");
    const plain = await visit("/plain/12");
    expect(scripts(plain.requests).sort()).toEqual([project!.manifest.entry, ...project!.manifest.imports].sort());
    // The island page fetched more: the island's chunk and hono/jsx/dom, on demand.
    expect(scripts(withIslands.requests).length).toBeGreaterThan(scripts(plain.requests).length);

    await plain.page.click("#rename");
    await plain.page.waitForFunction(() => document.querySelector("h1")?.textContent === "Brass lamp");
    expect(plain.problems).toEqual([]);
    await withIslands.page.close();
    await plain.page.close();
  });

  it("a redirect to another page navigates there", async () => {
    const { page, problems } = await visit("/products/13");
    await page.click("#leave");
    await page.waitForURL("**/done");
    expect(await page.textContent("#done")).toBe("Done");
    await page.goto(`${server!.url}/plain/13`);
    expect(await page.textContent("h1")).toBe("Gone lamp");
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("a streamed page after its head went out", () => {
  for (const javaScript of [true, false]) {
    const how = javaScript ? "with JavaScript" : "without JavaScript";

    it(`follows a late redirect() to its target, ${how}`, async () => {
      const context = await browser!.newContext({ javaScriptEnabled: javaScript });
      const page = await context.newPage();
      const first = await page.goto(server!.url + "/late/redirect");
      expect(first?.status()).toBe(200);
      await page.waitForURL(server!.url + "/done");
      expect(await page.textContent("#done")).toBe("Done");
      await context.close();
    });

    it(`shows a late error where its component would be, and the rest of the page, ${how}`, async () => {
      const context = await browser!.newContext({ javaScriptEnabled: javaScript });
      const { page, problems } = await openPage(context, server!.url + "/late/error", { javaScript });
      expect(await page.textContent('[role="alert"]')).toBe("The shelf is empty");
      expect(await page.getAttribute('[role="alert"]', "data-sortie-error")).toBe("404");
      expect(await page.textContent("#after")).toBe("The rest of the page");
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
