// Issue 17: a page's forms get their hidden fields from the render itself
// (worker/forms/form-render.ts), not from a second pass over the HTML. The pass
// (worker/forms/form-markup.ts, HTMLRewriter) stays for renders after a plain form post, so
// here both read the same forms in workerd and must write the same bytes.
import { describe, expect, it } from "vitest";
import { jsx, type Child } from "hono/jsx";
import { actionUrl, ECHO_FIELD } from "../../../common/forms.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { createSortie } from "../../../worker/app.ts";
import { closureOf, registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { prepareForms } from "../../../worker/forms/form-markup.ts";
import { isEndpointUrl } from "../../../worker/forms/form-rules.ts";
import { renderingForms } from "../../../worker/forms/form-render.ts";
import { runWithRequestEvent } from "../../../worker/request/context.ts";
import { createRequestEvent } from "../../../worker/request/event.ts";
import { renderedHtml, renderParts } from "../../../worker/pages/render-parts.ts";
import { bodyText, serveApp } from "../endpoint/serve.ts";

const save = registerServerFunction("render/save", async (_form: FormData) => "saved");
const bound = registerServerFunction("render/bound", async (id: string, _form: FormData) => id);
const note = registerServerFunction("render/note", async (owner: string, _form: FormData) => owner, 1);

/** An async component: its children render after a macrotask, later than what follows it. */
async function Later({ children, ms = 2 }: { children?: Child; ms?: number }) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return <>{children}</>;
}

const pages: Record<string, () => Child> = {
  plain: () => (
    <main>
      <form action={save}>
        <input name="title" />
        <textarea name="body" />
        <select name="size"><option>S</option></select>
        <input name="title" />
        <button name="go">Go</button>
      </form>
      <input name="outside" />
    </main>
  ),
  kinds: () => (
    <form action={actionUrl(save)} method={undefined} encType="text/plain">
      <input name="secret" type="PASSWORD" />
      <input name="card" type="Checkbox" autoComplete="cc-number" />
      <input name="code" autocomplete="one-time-code" />
      <input name="hidden" type="hidden" />
      <input name="file" type="file" />
      <input name="phone" type="tel" />
      <input name="box" type="checkbox" />
      <input name="" />
      <input type="submit" value="Send" />
    </form>
  ),
  buttons: () => (
    <>
      <form action="/search">
        <input name="q" />
        <button formAction={save} formMethod="get">Find</button>
        <input type="submit" formAction={bound.with("x&y")} />
      </form>
      <form action={bound.with("a&b")} method={"GET" as "get"}>
        <input type="email" name="email" />
        <button formAction={save}>Save</button>
      </form>
      <form action="/search" method="post" enctype="application/x-www-form-urlencoded">
        <button formAction={save}>Save</button>
      </form>
      <form action="https://elsewhere.example/_server/x"><input name="x" /></form>
      <form action="../_server/relative"><input name="r" /></form>
    </>
  ),
  nested: () => (
    <form action={save}>
      <input name="before" />
      <form action={bound.with("inner")}>
        <input name="inner" />
      </form>
      <input name="after" />
    </form>
  ),
  async: () => (
    <section>
      <form action={save}>
        <input name="first" />
        <Later ms={6}>
          <input name="slow" />
          <Later>
            <input name="deepest" />
          </Later>
          <input name="slowTail" />
        </Later>
        <Later ms={1}>
          <input name="fast" />
        </Later>
        <input name="last" />
        <input name="first" />
      </form>
      <Later>
        <form action={save}>
          <input name="inLaterForm" />
          <Later>
            <button formAction={bound.with("late")}>Late</button>
          </Later>
        </form>
      </Later>
      <form action="/search">
        <Later>
          <button formAction={save}>Late button makes it post</button>
        </Later>
        <input name="q" />
      </form>
    </section>
  ),
  sealed: () => (
    <form action={closureOf(note, ["owner-1"], "test:1:1")}>
      <input name="text" />
      <button formAction={closureOf(note, ["owner-2"], "test:2:1")}>Other</button>
    </form>
  ),
  // HTML reads tag names in any case; an attribute given as a promise is never overwritten.
  cases: () => (
    <>
      {jsx("FORM", { action: "/_server/render%2Fsave" }, jsx("INPUT", { name: "upper" }), jsx("Button", { formaction: "/_server/render%2Fsave" }, "Go"))}
      <form action={save} method={Promise.resolve("get") as never}>
        <input name="m" />
      </form>
    </>
  ),
  escaping: () => (
    <form action={save}>
      <input name={`a&b"<'`} />
    </form>
  ),
};

// The page path itself: a streamed page whose form waits for an async part, and the same page sent whole.
const formPage = () => (
  <form action={save}>
    <input name="early" />
    <Later ms={20}>
      <input name="late" />
    </Later>
  </form>
);
async function FailsLater(): Promise<Child> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  throw new Error("the stock service is down");
}
const routes = defineRoutes([
  { path: "/streamed", component: formPage },
  { path: "/whole", component: formPage, stream: false },
  // A part that fails after the head: its place shows the error, and its inputs are not echoed.
  {
    path: "/late-failure",
    component: () => (
      <form action={save}>
        <input name="first" />
        <Later ms={5}>
          <input name="gone" />
          <FailsLater />
        </Later>
        <input name="last" />
      </form>
    ),
  },
  { path: "/promised-name", component: () => <form action={save}><input name={Promise.resolve("promised") as never} /><input name="plain" /></form> },
]);

// One route renders a page both ways: readied by the render (X-Forms: render) or plain, then
// through the pass (X-Forms: pass).
const sortie = createSortie({ routes, manifest: { entry: "/assets/entry.js", imports: [], css: [] } });
sortie.get("/compare/:page", async (c) => {
  const event = createRequestEvent(c);
  const page = pages[c.req.param("page")]!;
  const render = () => renderedHtml(renderParts(page()));
  if (c.req.header("X-Forms") === "render") {
    renderingForms(event);
    return c.html(await runWithRequestEvent(event, render));
  }
  const html = await runWithRequestEvent(event, render);
  return prepareForms(new Response(html, { headers: { "Content-Type": "text/html" } }), event);
});
const app = serveApp(sortie);

/**
 * The one byte the two differ by: lol-html, adding an attribute to a self-closing tag, writes
 * `" />` where hono/jsx writes `"/>` (the same element to every HTML parser).
 */
const selfClosingAsHonoWrites = (html: string) => html.replaceAll('" />', '"/>');

async function both(page: string, query = "") {
  const get = async (forms: string) => bodyText(await app(`/compare/${page}${query}`, { headers: { "X-Forms": forms } }));
  return { render: await get("render"), pass: await get("pass") };
}

describe("forms readied by the render write what the pass writes", () => {
  for (const page of Object.keys(pages).filter((page) => page !== "sealed")) {
    it(page, async () => {
      const { render, pass } = await both(page, "?tab=edit&x=<1>");
      expect(render).toBe(selfClosingAsHonoWrites(pass));
      expect(render).toContain('name="$return"');
    });
  }

  it("fields of a form with async parts follow its inputs in document order", async () => {
    const { render } = await both("async");
    const echoed = [...render.matchAll(new RegExp(`name="\\${ECHO_FIELD}" value="([^"]*)"`, "g"))].map((match) => match[1]);
    expect(echoed).toEqual(["first", "slow", "deepest", "slowTail", "fast", "last", "inLaterForm", "q"]);
  });

  it("sealed URLs are written sealed, in the places the pass writes them", async () => {
    const { render, pass } = await both("sealed");
    // Each seal has its own random IV: compare the markup around them.
    const unsealed = (html: string) => html.replace(/sealed=[^&"]+/g, "sealed=…");
    expect(unsealed(render)).toBe(unsealed(pass));
    expect(render).not.toContain("sealed=~");
    expect(render.match(/sealed=[^&"~]{20,}/g)).toHaveLength(2);
  });

  it("an input name with markup characters is echoed as the browser will post it", async () => {
    const { render } = await both("escaping");
    expect(render).toContain(`<input name="a&amp;b&quot;&lt;&#39;"/>`);
    expect(render).toContain(`name="$echo" value="a&#38;b&#34;&#60;&#39;"`);
  });
});

describe("a page's forms need no pass over its HTML", () => {
  // Counts the HTMLRewriters made while `run` runs (workerd's own class, wrapped, not replaced).
  async function rewritersDuring(run: () => Promise<void>): Promise<number> {
    const global = globalThis as unknown as { HTMLRewriter: new () => unknown };
    const Original = global.HTMLRewriter;
    let made = 0;
    global.HTMLRewriter = class extends (Original as new () => object) {
      constructor() {
        super();
        made++;
      }
    } as never;
    try {
      await run();
    } finally {
      global.HTMLRewriter = Original;
    }
    return made;
  }

  for (const path of ["/streamed", "/whole"]) {
    it(`${path}: fields from the render, in order, with no HTMLRewriter`, async () => {
      let html = "";
      const made = await rewritersDuring(async () => void (html = await bodyText(await app(path))));
      expect(html).toContain(
        '<input name="early"/><input name="late"/><input type="hidden" name="$return" value="' + path + '"><input type="hidden" name="$echo" value="early"><input type="hidden" name="$echo" value="late"></form>',
      );
      expect(made).toBe(0);
    });
  }

  it("the counter sees the pass where it runs", async () => {
    const made = await rewritersDuring(async () => void (await bodyText(await app("/compare/plain", { headers: { "X-Forms": "pass" } }))));
    expect(made).toBe(1);
  });
});

describe("which URLs are the endpoint's", () => {
  const page = new URL("https://app.example/products/1?tab=edit");
  // The definition, by the URL parser alone.
  const parsed = (url: string) => URL.canParse(url, page) && new URL(url, page).origin === page.origin && new URL(url, page).pathname.startsWith("/_server/");
  const urls = [
    "/_server/render%2Fsave",
    "/_server/render%2Fbound?bound=%7B%22t%22%3A1%7D&sealed=~0",
    "/_server/../search",
    "/_server/./x",
    "/_server/%2e%2e/search",
    "/_server/%2E%2E/search",
    "/_ser\tver/x",
    "/_server\n/x",
    "/_server/\\..\\search",
    "\\_server/x",
    " /_server/x",
    "//_server/x",
    "//app.example/_server/x",
    "https://app.example/_server/x",
    "https://elsewhere.example/_server/x",
    "../_server/x",
    "_server/x",
    "/_server",
    "/search",
    "http://[bad",
  ];
  it("says what the URL parser says, on its fast path too", () => {
    for (const url of urls) expect([url, isEndpointUrl(url, page)]).toEqual([url, parsed(url)]);
    expect(urls.filter((url) => isEndpointUrl(url, page))).toContain("/_server/render%2Fsave");
  });
});

describe("what the render reads differently, as docs/forms.md says", () => {
  it("inputs of a part that failed after the head are not echoed", async () => {
    const html = await bodyText(await app("/late-failure"));
    expect(html).toContain("data-sortie-error");
    expect(html).not.toContain('<input name="gone"/>');
    expect(html).toContain('<input type="hidden" name="$return" value="/late-failure"><input type="hidden" name="$echo" value="first"><input type="hidden" name="$echo" value="last"></form>');
  });

  it("a name given as a promise is not echoed (its text comes later)", async () => {
    const html = await bodyText(await app("/promised-name"));
    expect(html).toContain('<input name="promised"/>');
    expect(html).toContain('<input type="hidden" name="$return" value="/promised-name"><input type="hidden" name="$echo" value="plain"></form>');
  });
});
