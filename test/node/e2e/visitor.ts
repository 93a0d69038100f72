// One person using the demo in their own browser context (own cookies, so own session), with
// JavaScript on or off, and what their page sends over the network.
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { watchProblems } from "./page-visit.ts";

export const SCREENSHOTS = resolve(import.meta.dirname, "../../../test-results/screenshots");

export interface Visitor {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors, console errors and failed responses other than those a test expects. */
  problems: string[];
  /** Opens a page of the app; resolves with its document response. */
  open(path: string): Promise<Response>;
  /**
   * Runs `act`, then waits until the network has been quiet for a moment, and returns every
   * request the page made meanwhile as `METHOD /path`, static files under /assets/ left out.
   */
  track(act: () => Promise<void>): Promise<string[]>;
  /**
   * Without JavaScript: runs `act` (a click that submits a form), and returns the answer to
   * the form's POST and the URL of the page the browser landed on once it has loaded.
   */
  submit(act: () => Promise<void>): Promise<{ post: Response; landed: URL }>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

const QUIET_MS = 400;

export async function newVisitor(browser: Browser, baseUrl: string, options: { javaScript: boolean }): Promise<Visitor> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript, viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  // The demo answers 4xx on purpose (refusals); a missing static file or a 5xx is a problem.
  const problems = watchProblems(page, (status, path) => status >= 500 || (status >= 400 && path.startsWith("/assets/")));
  let log: string[] = [];
  let inFlight = 0;
  let lastActivity = Date.now();
  const settle = () => {
    inFlight--;
    lastActivity = Date.now();
  };

  page.on("request", (request) => {
    inFlight++;
    lastActivity = Date.now();
    const url = new URL(request.url());
    if (!url.pathname.startsWith("/assets/")) log.push(`${request.method()} ${url.pathname}`);
  });
  page.on("requestfinished", settle);
  // Chromium may report a no-store fetch stream the page read to its end as aborted
  // (playwright#42742): for waiting on a quiet network, failed is as done as finished.
  page.on("requestfailed", settle);

  const quiet = async () => {
    while (inFlight > 0 || Date.now() - lastActivity < QUIET_MS) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  return {
    context,
    page,
    problems,
    async open(path) {
      const response = await page.goto(baseUrl + path);
      if (!response) throw new Error(`no response for ${path}`);
      // With JavaScript, wait until start() has brought up the page's islands.
      if (options.javaScript) await page.waitForSelector("html[data-started]", { state: "attached" });
      return response;
    },
    async track(act) {
      await quiet();
      log = [];
      await act();
      await quiet();
      return log;
    },
    async submit(act) {
      const loaded = page.waitForEvent("load");
      const post = page.waitForResponse((response) => response.request().method() === "POST");
      await act();
      const answer = await post;
      await loaded;
      return { post: answer, landed: new URL(page.url()) };
    },
    async screenshot(name) {
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    close: () => context.close(),
  };
}
