// The demo app (app/) end to end: real Chromium against the real `wrangler dev` (local D1 and
// KV), once with JavaScript off and once with it on, through every example of the two seed
// pages: sign-in, rename (single flight), unauthorized rename, create, unauthorized create,
// delete, like, views, theme cookie, sign-out. Each describe block is one visitor's journey, in
// order; the last one has two visitors signing in under the same name.
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CALL_HEADER, encodeArguments } from "../../../common/wire.ts";
import { launchChromium } from "./browser.ts";
import { startDemo, type DemoServer } from "./demo-server.ts";
import { newVisitor, type Visitor } from "./visitor.ts";

let demo: DemoServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  demo = await startDemo("production");
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** `POST /_server/<id>` of the app's server function named `name`. */
function call(name: string): string {
  return `POST /_server/${encodeURIComponent(demo!.project.idOf(name))}`;
}

async function text(visitor: Visitor, selector: string): Promise<string> {
  return ((await visitor.page.textContent(selector)) ?? "").replace(/\s+/g, " ").trim();
}

/** An input's validation state: aria-invalid, and the text of the element its aria-describedby names. */
async function fieldIssue(visitor: Visitor, selector: string): Promise<{ invalid: string | null; message: string | undefined }> {
  return visitor.page.$eval(selector, (input) => {
    const described = (input.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
    const message = described.map((id) => document.getElementById(id)?.textContent?.trim()).find(Boolean);
    return { invalid: input.getAttribute("aria-invalid"), message };
  });
}

function count(label: string, content: string): number {
  const found = new RegExp(`${label}: (\\d+)`).exec(content);
  if (!found) throw new Error(`no "${label}: N" in ${content.slice(0, 200)}`);
  return Number(found[1]);
}

/**
 * The visitor of one describe block: opened before its tests, closed after them; every test
 * ends with no page error, console error or failed asset.
 */
function visitorFor(options: { javaScript: boolean }): Visitor {
  let current: Visitor | undefined;
  beforeAll(async () => {
    current = await newVisitor(browser!, demo!.url, options);
  });
  afterEach(() => expect(current!.problems).toEqual([]));
  afterAll(() => current?.close());
  // The tests run after beforeAll: by then every member reaches the opened visitor.
  return new Proxy({} as Visitor, { get: (_target, name) => current![name as keyof Visitor] });
}

const postTitles = (visitor: Visitor) => visitor.page.locator("[data-testid=posts] h2").allTextContents();

describe("without JavaScript", () => {
  const visitor = visitorFor({ javaScript: false });

  it("shows the view count, which only the effect (JavaScript) increments", async () => {
    await visitor.open("/");
    const views = count("Total Views", await text(visitor, "[data-testid=views]"));
    await visitor.open("/");
    expect(count("Total Views", await text(visitor, "[data-testid=views]"))).toBe(views);
    expect(await visitor.page.isVisible("[data-testid=welcome]")).toBe(false);
    expect(await visitor.page.isVisible("#sign-in-name")).toBe(true);
  });

  it("refuses to create a post when signed out: 303 back to /posts, which shows Unauthorized", async () => {
    await visitor.open("/posts");
    await visitor.page.fill("#post-title", "Anonymous post");
    await visitor.page.fill("#post-content", "Nobody signed in");
    const { post, landed } = await visitor.submit(() => visitor.page.getByRole("button", { name: "Create post" }).click());
    expect(post.status()).toBe(303);
    expect(landed.pathname).toBe("/posts");
    expect(await text(visitor, "[role=alert]")).toContain("Unauthorized");
    expect(await postTitles(visitor)).not.toContain("Anonymous post");
  });

  it("refuses to rename a product when signed out: 303 back, which shows Unauthorized and the old name", async () => {
    await visitor.open("/products/2");
    expect(await visitor.page.isVisible("[data-testid=rename-hint]")).toBe(true);
    await visitor.page.fill("input[name=name]", "Nobody's Shell");
    const { post, landed } = await visitor.submit(() => visitor.page.getByRole("button", { name: "Save" }).click());
    expect(post.status()).toBe(303);
    expect(landed.pathname).toBe("/products/2");
    expect(await text(visitor, "form [role=alert]")).toBe("Unauthorized");
    expect(await text(visitor, "[data-testid=product-name]")).toBe("Rain Shell");
    await visitor.open("/products");
    expect(await text(visitor, "main")).not.toContain("Nobody's Shell");
  });

  it("signs in: 303 to /, which greets the user and shows the sign-out button", async () => {
    await visitor.open("/");
    await visitor.page.fill("#sign-in-name", "Ada");
    const { post, landed } = await visitor.submit(() => visitor.page.getByRole("button", { name: "Sign in" }).click());
    expect(post.status()).toBe(303);
    expect(post.headers().location).toBe("/");
    expect(landed.pathname).toBe("/");
    expect(await text(visitor, "[data-testid=welcome]")).toContain("Welcome, Ada.");
    expect(await visitor.page.isVisible("#sign-in-name")).toBe(false);
    expect(await visitor.page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
    await visitor.screenshot("no-js-home-signed-in");
  });

  it("renames a product: 303 back to the product page, which shows the new name", async () => {
    await visitor.open("/products/2");
    expect(await text(visitor, "[data-testid=product-name]")).toBe("Rain Shell");
    expect(await visitor.page.isVisible("[data-testid=rename-hint]")).toBe(false);
    await visitor.page.fill("input[name=name]", "Storm Shell");
    const { post, landed } = await visitor.submit(() => visitor.page.getByRole("button", { name: "Save" }).click());
    expect(post.status()).toBe(303);
    expect(landed.pathname).toBe("/products/2");
    expect(await text(visitor, "[data-testid=product-name]")).toBe("Storm Shell");
    await visitor.open("/products");
    expect(await text(visitor, "main")).toContain("Storm Shell");
    await visitor.screenshot("no-js-product");
  });

  it("shows why a rename failed on the page the 303 leads back to: the field's message by its input", async () => {
    await visitor.open("/products/2");
    await visitor.page.fill("input[name=name]", "   ");
    const { post, landed } = await visitor.submit(() => visitor.page.getByRole("button", { name: "Save" }).click());
    expect(post.status()).toBe(303);
    expect(landed.pathname).toBe("/products/2");
    expect(await fieldIssue(visitor, "input[name=name]")).toEqual({ invalid: "true", message: "A product needs a name" });
    expect(await text(visitor, "[role=alert]")).toBe("Invalid input: name: A product needs a name");
    expect(await text(visitor, "[data-testid=product-name]")).toBe("Storm Shell");
    await visitor.screenshot("no-js-field-issue");
  });

  it("posts a review from the product page, whose action captures the page's product (a closure): 303 to /posts, which lists it", async () => {
    await visitor.open("/products/3");
    const action = await visitor.page.getAttribute("[data-testid=review-form]", "action");
    // The captured product travels sealed: neither its name nor its id is readable in the URL.
    expect(action).toMatch(/^\/_server\/ProductPage\.review_\w+\?sealed=v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(action).not.toContain("Summit");
    await visitor.page.fill("#review-content", "Roomy and light.");
    const { post, landed } = await visitor.submit(() => visitor.page.getByRole("button", { name: "Post review" }).click());
    expect(post.status()).toBe(303);
    expect(landed.pathname).toBe("/posts");
    expect(await postTitles(visitor)).toContain("Review: Summit Pack");
  });

  it("creates a post: 303 to /posts, which lists it with a delete button", async () => {
    await visitor.open("/posts");
    await visitor.page.fill("#post-title", "Ada's first post");
    await visitor.page.fill("#post-content", "Written without JavaScript.");
    const { post, landed } = await visitor.submit(() => visitor.page.getByRole("button", { name: "Create post" }).click());
    expect(post.status()).toBe(303);
    expect(post.headers().location).toBe("/posts");
    expect(landed.pathname).toBe("/posts");
    expect(await postTitles(visitor)).toContain("Ada's first post");
    const item = visitor.page.locator("[data-testid=posts] li", { hasText: "Ada's first post" });
    expect(await item.getByRole("button", { name: "Delete" }).isVisible()).toBe(true);
    await visitor.screenshot("no-js-posts");
  });

  it("deletes the post with its formAction button: 303 back to /posts, without it", async () => {
    await visitor.page.fill("#post-title", "Short-lived");
    await visitor.page.fill("#post-content", "About to go.");
    await visitor.submit(() => visitor.page.getByRole("button", { name: "Create post" }).click());
    const item = visitor.page.locator("[data-testid=posts] li", { hasText: "Short-lived" });
    const { post, landed } = await visitor.submit(() => item.getByRole("button", { name: "Delete" }).click());
    expect(post.status()).toBe(303);
    expect(landed.pathname).toBe("/posts");
    const titles = await postTitles(visitor);
    expect(titles).not.toContain("Short-lived");
    expect(titles).toContain("Ada's first post");
  });

  it("likes: 303 back to /, which shows one like more", async () => {
    await visitor.open("/");
    const likes = count("Total Likes", await text(visitor, "[data-testid=likes]"));
    const { post, landed } = await visitor.submit(() => visitor.page.getByRole("button", { name: "Like" }).click());
    expect(post.status()).toBe(303);
    expect(landed.pathname).toBe("/");
    expect(count("Total Likes", await text(visitor, "[data-testid=likes]"))).toBe(likes + 1);
  });

  it("toggles the theme cookie: set (dark), then deleted (light)", async () => {
    await visitor.open("/");
    expect(await visitor.page.getAttribute(".app", "data-theme")).toBe("light");
    const { post } = await visitor.submit(() => visitor.page.getByRole("button", { name: "Switch to dark" }).click());
    expect(post.status()).toBe(303);
    expect(await visitor.page.getAttribute(".app", "data-theme")).toBe("dark");
    expect(await text(visitor, "[data-testid=theme]")).toBe("Theme: dark");
    expect((await visitor.context.cookies()).find((cookie) => cookie.name === "theme")?.value).toBe("dark");
    await visitor.screenshot("no-js-home-dark");

    await visitor.submit(() => visitor.page.getByRole("button", { name: "Switch to light" }).click());
    expect(await visitor.page.getAttribute(".app", "data-theme")).toBe("light");
    expect((await visitor.context.cookies()).some((cookie) => cookie.name === "theme")).toBe(false);
  });

  it("signs out: 303 to /, signed out; the old session cookie no longer signs anyone in", async () => {
    await visitor.open("/products/1");
    const before = await visitor.context.cookies();
    expect(before.some((cookie) => cookie.name === "session")).toBe(true);
    const { post, landed } = await visitor.submit(() => visitor.page.getByRole("button", { name: "Sign out" }).click());
    expect(post.status()).toBe(303);
    expect(post.headers().location).toBe("/");
    expect(landed.pathname).toBe("/");
    expect(await visitor.page.isVisible("#sign-in-name")).toBe(true);
    expect(await visitor.page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(false);

    // Replaying the cookie from before: the server ended the session, not just the browser.
    await visitor.context.addCookies(before);
    await visitor.open("/");
    expect(await visitor.page.isVisible("#sign-in-name")).toBe(true);
    expect(await text(visitor, "[data-testid=viewer-name] >> nth=0")).toBe("");
  });
});

describe("with JavaScript", () => {
  const visitor = visitorFor({ javaScript: true });

  /** Waits until `selector`'s text (whitespace collapsed) is `expected`. */
  const waitForText = (selector: string, expected: string) =>
    visitor.page.waitForFunction(
      ([selector, expected]) => document.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim() === expected,
      [selector, expected] as const,
    );

  it("counts a view from an effect when the page mounts: one call, after the page", async () => {
    let html = "";
    const requests = await visitor.track(async () => {
      html = await (await visitor.open("/")).text();
      const views = count("Total Views", html);
      await waitForText("[data-testid=views]", `Total Views: ${views + 1}`);
    });
    expect(requests).toEqual(["GET /", call("incrementViews")]);
  });

  it("refuses to create a post when signed out: one call, the error shown on the form", async () => {
    await visitor.open("/posts");
    await visitor.page.fill("#post-title", "Anonymous post");
    await visitor.page.fill("#post-content", "Nobody signed in");
    const requests = await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Create post" }).click();
      await visitor.page.waitForSelector("[role=alert]:has-text('Unauthorized')");
    });
    expect(requests).toEqual([call("createPost")]);
    expect(new URL(visitor.page.url()).pathname).toBe("/posts");
    expect(await postTitles(visitor)).not.toContain("Anonymous post");
  });

  it("refuses to rename a product when signed out: one call answered 401, the error on the form", async () => {
    await visitor.open("/products/1");
    await visitor.page.fill("input[name=name]", "Nobody's Runner");
    let status = 0;
    const requests = await visitor.track(async () => {
      const answer = visitor.page.waitForResponse((response) => response.request().method() === "POST");
      await visitor.page.getByRole("button", { name: "Save" }).click();
      status = (await answer).status();
      await waitForText("form [role=alert]", "Unauthorized");
    });
    expect(requests).toEqual([call("updateProduct")]);
    expect(status).toBe(401);
    expect(await text(visitor, "[data-testid=product-name]")).toBe("Trail Runner");
    // Not just the page: the stored name did not change.
    await visitor.open("/products/1");
    expect(await text(visitor, "[data-testid=product-name]")).toBe("Trail Runner");
  });

  it("signs in: one call; the greeting and the header update in place", async () => {
    await visitor.open("/");
    await visitor.page.fill("#sign-in-name", "Grace");
    const requests = await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Sign in" }).click();
      await waitForText("[data-testid=welcome]", "Welcome, Grace. You can now write posts.");
    });
    expect(requests).toEqual([call("signIn")]);
    expect(await visitor.page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
    expect(await visitor.page.isVisible("#sign-in-name")).toBe(false);
    await visitor.screenshot("home-signed-in");
  });

  it("renames a product in a single flight: one POST brings the fresh name, no follow-up read", async () => {
    await visitor.open("/products/1");
    expect(await text(visitor, "[data-testid=product-name]")).toBe("Trail Runner");
    await visitor.page.fill("input[name=name]", "Trail Runner Pro");
    const requests = await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Save" }).click();
      await waitForText("[data-testid=product-name]", "Trail Runner Pro");
    });
    expect(requests).toEqual([call("updateProduct")]);
    expect(new URL(visitor.page.url()).pathname).toBe("/products/1");
    await visitor.screenshot("product");
  });

  it("loads no island code on the product page: only Sortie's entry and its static imports", async () => {
    await visitor.open("/products/3");
    const scripts = await visitor.page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((entry) => new URL(entry.name).pathname)
        .filter((path) => path.endsWith(".js")),
    );
    const { entry, imports } = demo!.project.manifest;
    expect(scripts.sort()).toEqual([entry, ...imports].sort());
  });

  it("shows why a rename failed, from the one call's answer: the field's message by its input, cleared by the next success", async () => {
    await visitor.open("/products/1");
    await visitor.page.fill("input[name=name]", "   ");
    const requests = await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Save" }).click();
      await waitForText("[data-testid=name-issue]", "A product needs a name");
    });
    expect(requests).toEqual([call("updateProduct")]);
    expect(await fieldIssue(visitor, "input[name=name]")).toEqual({ invalid: "true", message: "A product needs a name" });
    expect(await text(visitor, "[role=alert]")).toBe("Invalid input: name: A product needs a name");
    expect(await text(visitor, "[data-testid=product-name]")).toBe("Trail Runner Pro");
    await visitor.screenshot("js-field-issue");
    await visitor.page.fill("input[name=name]", "Trail Runner Pro");
    await visitor.page.getByRole("button", { name: "Save" }).click();
    await waitForText("[data-testid=name-issue]", "");
    expect(await fieldIssue(visitor, "input[name=name]")).toEqual({ invalid: null, message: undefined });
  });

  it("creates a post: one call, pending while it runs, the list refreshed from the same response", async () => {
    await visitor.open("/posts");
    await visitor.page.fill("#post-title", "Grace's post");
    await visitor.page.fill("#post-content", "Sent with JavaScript.");
    // Hold the request so the pending state can be seen.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await visitor.page.route("**/_server/**", async (route) => {
      await held;
      await route.continue();
    });
    const requests = await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Create post" }).click();
      // The form is busy and the island button (useFormStatus) shows it.
      await visitor.page.waitForSelector("form[aria-busy=true] button[type=submit][disabled]:has-text('Creating…')");
      release();
      await visitor.page.waitForSelector("[data-testid=posts] h2:has-text(\"Grace's post\")");
      await visitor.page.waitForSelector("form[aria-busy=true]", { state: "detached" });
      await visitor.page.waitForSelector("button[type=submit]:not([disabled]):has-text('Create post')");
    });
    await visitor.page.unroute("**/_server/**");
    expect(requests).toEqual([call("createPost")]);
    expect(new URL(visitor.page.url()).pathname).toBe("/posts");
    // The redirect was to /posts itself: no navigation, so the form was reset in place.
    expect(await visitor.page.inputValue("#post-title")).toBe("");
    expect(await visitor.page.inputValue("#post-content")).toBe("");
    await visitor.screenshot("posts");
  });

  it("posts a review through the closure's sealed reference: one call, then /posts lists it", async () => {
    await visitor.open("/products/3");
    await visitor.page.fill("#review-content", "   ");
    await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Post review" }).click();
      await waitForText("[data-sortie-issue=content]", "Write a few words");
    });
    await visitor.page.fill("#review-content", "Fits a laptop.");
    const requests = await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Post review" }).click();
      await visitor.page.waitForURL(`${demo!.url}/posts`);
      await visitor.page.waitForSelector("[data-testid=posts] li >> text=Fits a laptop.");
    });
    expect(requests[0]).toBe(call("ProductPage.review"));
    expect(await postTitles(visitor)).toContain("Review: Summit Pack");
  });

  it("deletes a post with its formAction button: one call, the list refreshed", async () => {
    const item = visitor.page.locator("[data-testid=posts] li", { hasText: "Grace's post" });
    const requests = await visitor.track(async () => {
      await item.getByRole("button", { name: "Delete" }).click();
      await item.waitFor({ state: "detached" });
    });
    expect(requests).toEqual([call("deletePost")]);
    // Ada's post (from the visitor without JavaScript) has no delete button for Grace.
    const others = visitor.page.locator("[data-testid=posts] li", { hasText: "Ada's first post" });
    expect(await others.count()).toBe(1);
    expect(await others.getByRole("button", { name: "Delete" }).count()).toBe(0);
  });

  it("checks ownership inside deletePost: a direct POST for someone else's post deletes nothing", async () => {
    const others = visitor.page.locator("[data-testid=posts] li", { hasText: "Ada's first post" });
    const id = await others.getAttribute("data-post-id");
    const url = `${demo!.url}/_server/${encodeURIComponent(demo!.project.idOf("deletePost"))}`;
    // What curl or a forged page would send, with Grace's session cookie (the context's cookies).
    const answer = await visitor.context.request.post(url, {
      multipart: { id: id!, $return: "/posts" },
      headers: { Origin: demo!.url },
      maxRedirects: 0,
    });
    expect(answer.status()).toBe(303);
    await visitor.open("/posts");
    expect(await postTitles(visitor)).toContain("Ada's first post");
    expect(await text(visitor, "[role=alert]:not(form [role=alert])")).toBe("Only its author can delete a post");
  });

  it("likes from a click handler: one call, the count it returns shown", async () => {
    await visitor.open("/");
    const likes = count("Total Likes", await text(visitor, "[data-testid=likes]"));
    const requests = await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Like" }).click();
      await waitForText("[data-testid=likes]", `Total Likes: ${likes + 1}`);
    });
    expect(requests).toEqual([call("incrementLike")]);
  });

  it("toggles the theme cookie: one call each way, applied at once and kept on reload", async () => {
    expect(await visitor.page.getAttribute(".app", "data-theme")).toBe("light");
    const requests = await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Switch to dark" }).click();
      await visitor.page.waitForSelector(".app[data-theme=dark]");
    });
    expect(requests).toEqual([call("toggleTheme")]);
    expect((await visitor.context.cookies()).find((cookie) => cookie.name === "theme")?.value).toBe("dark");
    await visitor.open("/");
    expect(await visitor.page.getAttribute(".app", "data-theme")).toBe("dark");
    await visitor.screenshot("home-dark");

    const back = await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Switch to light" }).click();
      await visitor.page.waitForSelector(".app[data-theme=light]");
    });
    expect(back).toEqual([call("toggleTheme")]);
    expect((await visitor.context.cookies()).some((cookie) => cookie.name === "theme")).toBe(false);
  });

  it("signs out from another page: one call, then the browser goes to /, signed out", async () => {
    await visitor.open("/posts");
    const requests = await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Sign out" }).click();
      await visitor.page.waitForURL((url) => url.pathname === "/");
      await visitor.page.waitForSelector("html[data-started]", { state: "attached" });
    });
    // The sign-out call, then the page it redirected to (which counts its view).
    expect(requests).toEqual([call("signOut"), "GET /", call("incrementViews")]);
    expect(await visitor.page.isVisible("#sign-in-name")).toBe(true);
    expect(await visitor.page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(false);
  });

  it("signs out on the home page itself: one call, the page updates in place", async () => {
    await visitor.page.fill("#sign-in-name", "Grace");
    await visitor.page.getByRole("button", { name: "Sign in" }).click();
    await waitForText("[data-testid=welcome]", "Welcome, Grace. You can now write posts.");
    const requests = await visitor.track(async () => {
      await visitor.page.getByRole("button", { name: "Sign out" }).click();
      await visitor.page.waitForSelector("#sign-in-name", { state: "visible" });
    });
    expect(requests).toEqual([call("signOut")]);
    expect(await visitor.page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(false);
  });
});

describe("two sign-ins under the same name, each in its own browser", () => {
  const author = visitorFor({ javaScript: true });
  const namesake = visitorFor({ javaScript: true });

  const signIn = async (visitor: Visitor, name: string) => {
    await visitor.open("/");
    await visitor.page.fill("#sign-in-name", name);
    await visitor.page.getByRole("button", { name: "Sign in" }).click();
    await visitor.page.waitForSelector("#sign-in-name", { state: "hidden" });
    expect(await text(visitor, "[data-testid=welcome]")).toContain(`Welcome, ${name}.`);
  };
  const item = (visitor: Visitor) => visitor.page.locator("[data-testid=posts] li", { hasText: "Lin's note" });

  it("the first sign-in writes a post and gets its delete button", async () => {
    await signIn(author, "Lin");
    await author.open("/posts");
    await author.page.fill("#post-title", "Lin's note");
    await author.page.fill("#post-content", "Only this Lin may delete it.");
    await author.page.getByRole("button", { name: "Create post" }).click();
    await item(author).waitFor();
    expect(await item(author).getByRole("button", { name: "Delete" }).count()).toBe(1);
  });

  it("the second is another user: no delete button, and deletePost answers 403 and deletes nothing", async () => {
    await signIn(namesake, "Lin");
    await namesake.open("/posts");
    await item(namesake).waitFor();
    expect(await item(namesake).getByRole("button", { name: "Delete" }).count()).toBe(0);

    // The call the author's delete button makes, sent from the namesake's browser with its
    // session cookie: what a forged page or curl could send.
    const id = await item(namesake).getAttribute("data-post-id");
    const data = new FormData();
    data.set("id", id!);
    const answer = await namesake.context.request.post(`${demo!.url}/_server/${encodeURIComponent(demo!.project.idOf("deletePost"))}`, {
      headers: { [CALL_HEADER]: "1", "Content-Type": "application/json", Origin: demo!.url },
      data: encodeArguments([data]),
    });
    expect(answer.status()).toBe(403);
    expect(await answer.text()).toContain("Only its author can delete a post");

    await namesake.open("/posts");
    expect(await postTitles(namesake)).toContain("Lin's note");
  });

  it("the author still can delete it", async () => {
    await author.open("/posts");
    await item(author).getByRole("button", { name: "Delete" }).click();
    await item(author).waitFor({ state: "detached" });
    await namesake.open("/posts");
    expect(await postTitles(namesake)).not.toContain("Lin's note");
  });
});
