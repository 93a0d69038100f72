// One page of a test app opened in Chromium, with what it requested and what went wrong: the
// browser tests of forms and queries (test/node/forms, test/node/queries) use it; the demo's
// visitor (./visitor.ts) shares the problem log.
import type { Browser, BrowserContext, Page } from "playwright-core";

export interface Visit {
  page: Page;
  /** Every request the page made, in order: method and path with the query. */
  requests: string[];
  /** Uncaught errors, console errors (CSP violations land there) and failed responses. */
  problems: string[];
}

/**
 * Logs the page's uncaught errors, console errors and the responses `failed` picks
 * (`"<status> <path>"`) into the returned list.
 */
export function watchProblems(page: Page, failed: (status: number, path: string) => boolean): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  // Failed loads are reported by URL below; the console repeats them without one.
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) problems.push(`console: ${message.text()}`);
  });
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (failed(response.status(), path)) problems.push(`${response.status()} ${path}`);
  });
  return problems;
}

/**
 * Opens `url` in a new page of `opener` (a browser, or a context such as one without
 * JavaScript). With JavaScript it waits for the app's `sortieStarted` (start() is done).
 */
export async function openPage(opener: Browser | BrowserContext, url: string, options: { javaScript?: boolean } = {}): Promise<Visit> {
  const page = await opener.newPage();
  const requests: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    requests.push(`${request.method()} ${url.pathname}${url.search}`);
  });
  // Any status from 400 up, except for /favicon.ico, which the browser asks for and these apps lack.
  const problems = watchProblems(page, (status, path) => status >= 400 && path !== "/favicon.ico");
  await page.goto(url);
  if (options.javaScript ?? true) await page.evaluate(() => (globalThis as { sortieStarted?: Promise<void> }).sortieStarted);
  return { page, requests, problems };
}

/** The server-function calls among `requests`, without their query strings. */
export const serverCalls = (requests: string[]) => requests.filter((request) => request.includes("/_server/")).map((request) => request.split("?")[0]);
