// Forms bound to server functions in a real browser, with JavaScript and without. The app
// (./app) is built with the real build and served by `wrangler dev`; Chromium drives it.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../e2e/browser.ts";
import { startDevServer, type DevServer } from "../e2e/dev-server.ts";
import { openPage, serverCalls } from "../e2e/page-visit.ts";
import { buildProject, type BuiltProject } from "../queries/project.ts";

let project: BuiltProject | undefined;
let server: DevServer | undefined;
let browser: Browser | undefined;
let noScript: BrowserContext | undefined;

beforeAll(async () => {
  project = await buildProject({ workerEntry: "test/node/forms/app/worker.ts", clientEntry: "test/node/forms/app/client.ts" });
  server = await startDevServer({ root: project.root, mode: "production" });
  browser = await launchChromium();
  noScript = await browser.newContext({ javaScriptEnabled: false });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await project?.remove();
});

/** Opens `path` of the app; `context` is the one without JavaScript, where start() never runs. */
const visit = (path: string, context?: BrowserContext) => openPage(context ?? browser!, server!.url + path, { javaScript: !context });

const documents = (requests: string[]) => requests.filter((request) => request.startsWith("GET /products/"));
const text = (page: Page, selector: string) => page.textContent(selector);

describe("with JavaScript", () => {
  it("a server-rendered form submits through its stub: one POST, no navigation, pending state, fresh data, then reset", async () => {
    const { page, requests, problems } = await visit("/products/j1");
    await page.fill("#rename input[name=name]", "slow brass lamp");
    await page.click("#save");
    await page.waitForFunction(
      () =>
        document.querySelector("#rename")?.getAttribute("aria-busy") === "true" &&
        document.querySelector("#save")?.textContent === "Saving…" &&
        (document.querySelector("#save") as HTMLButtonElement).disabled &&
        document.querySelector("#outcome")?.textContent === "pending",
    );
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "slow brass lamp");
    await page.waitForFunction(() => document.querySelector("#outcome")?.textContent === "result: slow brass lamp");
    expect(await page.getAttribute("#rename", "aria-busy")).toBeNull();
    expect(await text(page, "#save")).toBe("Save");
    expect(await page.inputValue("#rename input[name=name]")).toBe("");
    expect(serverCalls(requests)).toEqual([`POST /_server/${encodeURIComponent(project!.idOf("renameProduct"))}`]);
    expect(documents(requests)).toEqual(["GET /products/j1"]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a failure shows in [data-sortie-error]; the form keeps its values and works again", async () => {
    const { page, problems } = await visit("/products/j2");
    await page.fill("#rename input[name=name]", "   ");
    await page.click("#save");
    await page.waitForFunction(() => document.querySelector("#rename-error")?.textContent === "Give the product a name");
    expect(await text(page, "#outcome")).toBe("error: Give the product a name");
    expect(await page.inputValue("#rename input[name=name]")).toBe("   ");
    await page.fill("#rename input[name=name]", "Desk lamp");
    await page.click("#save");
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Desk lamp");
    expect(await text(page, "#rename-error")).toBe("");
    // The 422 is the function's answer, not a problem of the page.
    expect(problems).toEqual(["422 /_server/" + encodeURIComponent(project!.idOf("renameProduct"))]);
    await page.close();
  });

  it("a redirect from <form action={fn}> navigates to its target", async () => {
    const { page, problems } = await visit("/products/j3");
    await page.fill("#create input[name=id]", "j3-new");
    await page.fill("#create input[name=name]", "New lamp");
    await page.click("#create button");
    await page.waitForURL("**/products/j3-new");
    expect(await text(page, "h1")).toBe("New lamp");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a redirect to the page the form is on finishes the form: no navigation, error cleared, reset, submission done", async () => {
    const { page, requests, problems } = await visit("/products/j7");
    const create = `POST /_server/${encodeURIComponent(project!.idOf("createProduct"))}`;
    await page.fill("#create input[name=id]", "j7");
    await page.click("#create button");
    await page.waitForFunction(() => document.querySelector("#create-error")?.textContent === "Give the new product a name");
    await page.fill("#create input[name=name]", "Same-page lamp");
    await page.click("#create button");
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "Same-page lamp");
    await page.waitForFunction(() => document.querySelector("#create-outcome")?.textContent === "result: /products/j7");
    expect(await text(page, "#create-error")).toBe("");
    expect(await page.inputValue("#create input[name=id]")).toBe("");
    expect(await page.inputValue("#create input[name=name]")).toBe("");
    expect(serverCalls(requests)).toEqual([create, create]);
    expect(documents(requests)).toEqual(["GET /products/j7"]);
    expect(problems).toEqual([create.replace("POST", "422")]);
    await page.close();
  });

  it("<button formAction={fn}> posts to its own function, not the form's: one POST, its result, then reset", async () => {
    const { page, requests, problems } = await visit("/products/j8");
    await page.fill("#rename input[name=name]", "brass lamp");
    await page.click("#shout");
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "BRASS LAMP!");
    await page.waitForFunction(() => document.querySelector("#shout-outcome")?.textContent === "result: BRASS LAMP!");
    expect(await text(page, "#outcome")).toBe("none");
    expect(await page.inputValue("#rename input[name=name]")).toBe("");
    expect(serverCalls(requests)).toEqual([`POST /_server/${encodeURIComponent(project!.idOf("shoutName"))}`]);
    expect(documents(requests)).toEqual(["GET /products/j8"]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("hono/jsx/dom <form action={fn}>: useActionState with a .with() stub, useFormStatus inside", async () => {
    const { page, requests, problems } = await visit("/products/j4");
    await page.fill("#notes input[name=note]", "slow first");
    await page.click("#add");
    await page.waitForFunction(() => document.querySelector("#adding")?.textContent === "adding");
    await page.waitForFunction(() => document.querySelector("#note-list")?.textContent === "j4: slow first");
    expect(await text(page, "#adding")).toBe("idle");
    expect(serverCalls(requests)).toEqual([`POST /_server/${encodeURIComponent(project!.idOf("addNote"))}`]);
    expect(documents(requests)).toEqual(["GET /products/j4"]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("after a plain post (form.submit() fires no submit event), the islands see the submission the Worker embedded", async () => {
    const { page, problems } = await visit("/products/j6");
    await page.fill("#rename input[name=name]", "Posted lamp");
    const back = page.waitForResponse((response) => response.request().method() === "GET" && response.url().endsWith("/products/j6"));
    await page.evaluate(() => (document.querySelector("#rename") as HTMLFormElement).submit());
    await back;
    await page.waitForFunction(() => (globalThis as { sortieStarted?: Promise<void> }).sortieStarted);
    await page.evaluate(() => (globalThis as { sortieStarted?: Promise<void> }).sortieStarted);
    expect(await text(page, "#renamed")).toBe("Renamed to Posted lamp");
    // Rendered by hono/jsx/dom in the browser, from the embedded submission.
    expect(await text(page, "#outcome")).toBe("result: Posted lamp");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("useOptimistic shows the like at once, and the server's count after", async () => {
    const { page, problems } = await visit("/products/j5");
    await page.click("#like");
    // The server takes 1.5 s: the optimistic count shows long before.
    await page.waitForFunction(() => document.querySelector("#like")?.textContent === "♥ 1", undefined, { timeout: 1_000 });
    await page.waitForResponse((response) => response.url().includes("/_server/"));
    await page.click("#like");
    await page.waitForFunction(() => document.querySelector("#like")?.textContent === "♥ 2");
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("without JavaScript", () => {
  it("the form posts, the browser lands back on the page (never on /_server) and the result shows once", async () => {
    const { page, requests, problems } = await visit("/products/n1", noScript);
    await page.fill("#rename input[name=name]", "Oak lamp");
    await Promise.all([page.waitForURL("**/products/n1"), page.click("#save")]);
    expect(page.url()).toBe(`${server!.url}/products/n1`);
    expect(await text(page, "h1")).toBe("Oak lamp");
    expect(await text(page, "#renamed")).toBe("Renamed to Oak lamp");
    expect(requests.filter((request) => request.startsWith("POST"))).toEqual([
      `POST /_server/${encodeURIComponent(project!.idOf("renameProduct"))}?bound=${encodeURIComponent('{"t":{"t":9,"i":0,"a":[{"t":1,"s":"n1"}],"o":0},"f":0,"m":[]}')}`,
    ]);
    await page.reload();
    expect(await page.$("#renamed")).toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a validation error comes back with its message and the input", async () => {
    const { page, problems } = await visit("/products/n2", noScript);
    await page.fill("#rename input[name=name]", "  ");
    await Promise.all([page.waitForURL("**/products/n2"), page.click("#save")]);
    expect(await text(page, "#rename-error")).toBe("Give the product a name");
    expect(await page.inputValue("#rename input[name=name]")).toBe("  ");
    expect(await text(page, "h1")).toBe("Lamp");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("<form action={fn}> (no method in the markup) posts and follows the function's redirect", async () => {
    const { page, problems } = await visit("/products/n3", noScript);
    await page.fill("#create input[name=id]", "n3-new");
    await page.fill("#create input[name=name]", "Plain lamp");
    await Promise.all([page.waitForURL("**/products/n3-new"), page.click("#create button")]);
    expect(await text(page, "h1")).toBe("Plain lamp");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("an island's useActionState form posts to its permalink; the page renders the new state", async () => {
    const { page, problems } = await visit("/products/n4", noScript);
    await page.fill("#notes input[name=note]", "hello");
    await Promise.all([page.waitForURL("**/products/n4"), page.click("#add")]);
    expect(await page.$$eval("#note-list li", (items) => items.map((item) => item.textContent))).toEqual(["n4: hello"]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
