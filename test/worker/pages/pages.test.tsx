import { Hono } from "hono";
import { jsx } from "hono/jsx";
import { fromJSON } from "seroval";
import { beforeEach, describe, expect, it } from "vitest";
import { decodePageData } from "../../../client/page-data.ts";
import { queryKey } from "../../../common/query-key.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { ARGUMENT_PLUGINS } from "../../../common/wire.ts";
import { sortieRoutes } from "../../../worker/app.ts";
import { island } from "../../../worker/pages/island.ts";
import { query } from "../../../worker/queries/query.ts";
import { bodyText, ORIGIN, production, serve } from "../endpoint/serve.ts";
import { calls, HOSTILE_NAME, Layout, manifest, routes } from "./fixture.tsx";

const app = serve({ routes, manifest, layout: Layout });

beforeEach(() => {
  calls.item = 0;
});

describe("a page", () => {
  it("renders the document shell from the manifest, with the page inside the layout", async () => {
    const response = await app("/items/1");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const html = await bodyText(response);
    expect(html.startsWith("<!doctype html><html lang=\"en\"><head>")).toBe(true);
    expect(html).toContain('<meta charset="utf-8"/>');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(html).toContain("<title>Item 1</title>");
    expect(html).toContain('<link rel="stylesheet" href="/assets/app-789.css"/>');
    expect(html).toContain('<link rel="modulepreload" href="/assets/chunk-def456.js"/>');
    expect(html).toContain('<script type="module" src="/assets/entry-abc123.js"></script>');
    expect(html).toMatch(/<body><div id="layout"><nav>Shop<\/nav><article><h1>Lamp<\/h1>/);
  });

  it("a preload or a query that throws synchronously fails as one that rejects: the page renders, the component meets the error", async () => {
    const failing = query(((id: string) => {
      throw new Error(`no ${id} today`);
    }) as unknown as (id: string) => Promise<string>, "syncFailure");
    const page = serve({
      manifest,
      routes: defineRoutes([
        {
          path: "/sync-failures",
          preload: () => {
            throw new Error("the preload failed at once");
          },
          component: async () => jsx("p", {}, await failing("lamp").catch((error: Error) => `caught: ${error.message}`)),
        },
      ]),
    });
    const response = await page("/sync-failures");
    expect(response.status).toBe(200);
    expect(await bodyText(response)).toContain("<p>caught: no lamp today</p>");
  });

  it("a query started from a settled query's handlers, not awaited, still reaches the page data", async () => {
    const first = query(async (id: string) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return `first ${id}`;
    }, "chainFirst");
    const second = query(async (id: string) => `second ${id}`, "chainSecond");
    const page = serve({
      manifest,
      routes: defineRoutes([
        {
          path: "/chained",
          preload: () => {
            // Two hops after the first query settles, then a second query nobody awaits.
            void first("a")
              .then((value) => value)
              .then((value) => value)
              .then(() => second("a"));
            return first("a");
          },
          component: () => jsx("p", {}, "chained"),
        },
      ]),
    });
    const html = await bodyText(await page("/chained"));
    expect(decodePageData(pageData(html)).map(([key]) => key)).toEqual([queryKey("chainFirst", ["a"]), queryKey("chainSecond", ["a"])]);
  });

  it("answers HEAD like GET, without a body", async () => {
    const response = await app("/items/1", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(await bodyText(response)).toBe("");
  });

  it("embeds the preloaded query results as seroval JSON that warms the client cache", async () => {
    const html = await bodyText(await app("/items/1"));
    expect(decodePageData(pageData(html))).toEqual([[queryKey("item", ["1"]), { name: "Lamp", tags: ["light"] }]]);
  });

  it("runs a query once per request however many places use it", async () => {
    await app("/items/1");
    // preload, the page, <QueryValue> and the island's useQuery share one call.
    expect(calls.item).toBe(1);
  });

  it("escapes values so the JSON cannot close its script element", async () => {
    const html = await bodyText(await app("/items/evil"));
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain("<!--");
    expect(pageData(html)).not.toContain("<");
    expect(decodePageData(pageData(html))).toEqual([[queryKey("item", ["evil"]), { name: HOSTILE_NAME, tags: [] }]]);
    expect(html).toContain("<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--</h1>");
  });

  it("renders a <QueryValue> bound to its cache entry", async () => {
    const html = await bodyText(await app("/items/1"));
    expect(html).toContain(`<span data-sortie-query="item[&quot;1&quot;]" data-select="name">Lamp</span>`);
  });

  it("renders an island's HTML inside a wrapper carrying its name and props", async () => {
    const html = await bodyText(await app("/items/1"));
    const island = html.match(/<sortie-island data-island="Like" data-props="([^"]*)"><button type="button">(.*?)<\/button><\/sortie-island>/);
    expect(island).not.toBeNull();
    // The island's useQuery saw the settled preload on the server.
    expect(island![2]).toBe("Lamp: 3 likes");
    const props = fromJSON(JSON.parse(unescapeAttribute(island![1]!)), { plugins: ARGUMENT_PLUGINS });
    expect(props).toEqual([{ id: "1", likes: 3 }]);
  });

  it("runs inside the request context: cookies and the session work, their changes are committed", async () => {
    const first = await app("/visitor", { headers: { Cookie: "theme=dark" } });
    expect(await bodyText(first)).toContain("<p>theme dark, visit 1</p>");
    const setCookies = first.headers.getSetCookie();
    expect(setCookies.some((line) => line.startsWith("seen=yes"))).toBe(true);
    const session = setCookies.find((line) => !line.startsWith("seen="));
    expect(session).toBeDefined();

    const second = await app("/visitor", { headers: { Cookie: session!.split(";")[0]! } });
    expect(await bodyText(second)).toContain("visit 2");
  });

  it("answers a thrown redirect() with a redirect", async () => {
    const response = await app("/go");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/items/1");
  });

  it("keeps a status the page set", async () => {
    const response = await app("/gone");
    expect(response.status).toBe(410);
    expect(await bodyText(response)).toContain("This item is gone.");
  });

  it("matches a rest parameter and gives the title function the params", async () => {
    const html = await bodyText(await app("/files/docs/read%20me.txt"));
    expect(html).toContain("<title>docs/read me.txt</title>");
    // Escaped as hono/jsx escapes text.
    expect(await bodyText(await app("/files/%3Cb%3E%26%22'"))).toContain("<title>&lt;b&gt;&amp;&quot;&#39;</title>");
    expect(html).toContain("<p>file docs/read me.txt</p>");
  });
});

describe("pages that fail", () => {
  it("answers an unknown path with a readable HTML 404 page in the layout", async () => {
    const response = await app("/nowhere/<b>");
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const html = await bodyText(response);
    expect(html).toContain("<title>Page not found</title>");
    expect(html).toContain('<div id="layout"><nav>Shop</nav><h1>Page not found</h1>');
    expect(html).toContain("Nothing here matches /nowhere/%3Cb%3E.");
    expect(html).toContain('<a href="/">Go to the home page</a>');
  });

  it("answers a deliberate error with its status and message (a page sent whole: thrown after an await)", async () => {
    const response = await app("/whole/items/42");
    expect(response.status).toBe(404);
    expect(await bodyText(response)).toContain("<p>No item 42</p>");
  });

  it("hides an unexpected error's details in production and shows the id it was logged under", async () => {
    const response = await app("/boom");
    expect(response.status).toBe(500);
    const html = await bodyText(response);
    expect(html).not.toContain("secret boom");
    expect(html).toMatch(/<p>Internal Server Error \(error id [0-9a-f-]{36}\)<\/p>/);
  });

  it("shows the message in development", async () => {
    const dev = serve({ routes, manifest }, { ...production, SORTIE_ENV: "development" });
    expect(await bodyText(await dev("/boom"))).toContain("secret boom");
  });

  it("answers malformed percent-encoding with 400", async () => {
    const response = await app("/items/%E0%A4%A");
    expect(response.status).toBe(400);
    expect(await bodyText(response)).toContain("is not valid percent-encoding");
  });
});

describe("setting pages up", () => {
  it("sortieRoutes() in an existing Hono app serves known pages and leaves other paths to the app", async () => {
    const host = new Hono();
    host.route("/", sortieRoutes({ routes, manifest }));
    host.get("/api/ping", (c) => c.text("pong"));
    const fetch = (path: string) => host.fetch(new Request(new URL(path, ORIGIN)), production);
    expect(await (await fetch("/api/ping")).text()).toBe("pong");
    expect(await (await fetch("/items/1")).text()).toContain("<h1>Lamp</h1>");
  });

  it("requires the client manifest with routes, naming where it comes from", () => {
    expect(() => serve({ routes })).toThrow(/createSortie\(\{ manifest \}\).*sortie:manifest/);
    expect(() => serve({ routes, manifest: { entry: "/a.js" } as never })).toThrow(/manifest/);
  });

  it("requires routes made by defineRoutes and a function layout", () => {
    expect(() => serve({ routes: [{ path: "/" }] as never, manifest })).toThrow(/defineRoutes/);
    expect(() => serve({ routes, manifest, layout: "<div>" as never })).toThrow(/layout/);
  });

  it("defineRoutes refuses definitions it cannot serve, naming the path", () => {
    const page = () => "page";
    expect(() => defineRoutes([{ path: "items", component: page }])).toThrow(/starting with "\/"/);
    expect(() => defineRoutes([{ path: "/a", component: page }, { path: "/a", component: page }])).toThrow(/"\/a" is defined twice/);
    expect(() => defineRoutes([{ path: "/a/:", component: page }])).toThrow(/needs a name/);
    expect(() => defineRoutes([{ path: "/a/:id/:id", component: page }])).toThrow(/"id" appears twice/);
    expect(() => defineRoutes([{ path: "/a/*rest/b", component: page }])).toThrow(/must be the last segment/);
    expect(() => defineRoutes([{ path: "/a", component: "page" as never }])).toThrow(/route "\/a" needs a component/);
    expect(() => defineRoutes([{ path: "/a", component: page, stream: "yes" as never }])).toThrow(/stream option of route "\/a" must be true or false/);
  });
});

describe("islands", () => {
  const Greeter = island("Greeter", ({ greet }: { greet: unknown }) => <p>{String(typeof greet)}</p>);
  const islandRoutes = defineRoutes([
    // Sent whole, so the island's error is the page's status (streamed, it would take the island's place).
    { path: "/function-prop", stream: false, component: () => <Greeter greet={() => "hi"} /> },
    { path: "/children", stream: false, component: () => jsx(Greeter, { greet: "hi", children: "text" }) },
  ]);
  const dev = serve({ routes: islandRoutes, manifest }, { ...production, SORTIE_ENV: "development" });

  it("refuses props that cannot travel to the browser, naming the island", async () => {
    const response = await dev("/function-prop");
    expect(response.status).toBe(500);
    expect(await bodyText(response)).toContain('island &quot;Greeter&quot;: its props cannot be sent to the browser');
  });

  it("refuses children", async () => {
    expect(await bodyText(await dev("/children"))).toContain("island &quot;Greeter&quot;: islands take no children");
  });

  it("needs a word for a name, and one component per name", () => {
    expect(() => island("my island", () => null)).toThrow(/name must be a word/);
    expect(() => island("Greeter", () => null)).toThrow(/Two islands are named "Greeter"/);
  });
});

/** The text of the page's data script. */
function pageData(html: string): string {
  const match = html.match(/<script type="application\/json" id="sortie-data">(.*?)<\/script>/s);
  expect(match).not.toBeNull();
  return match![1]!;
}

function unescapeAttribute(value: string): string {
  return value.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}
