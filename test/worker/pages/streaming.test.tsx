// Streamed documents: the head and the layout leave before the page's slow parts, which follow
// in document order; what a component does after the first byte (a redirect, an error, a late
// status or cookie) reaches the user as the docs say (docs/queries-and-pages.md).
import type { Child } from "hono/jsx";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ServerError } from "../../../common/errors.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { getRequestEvent } from "../../../worker/request/context.ts";
import { cookies } from "../../../worker/request/cookies.ts";
import { redirect } from "../../../worker/request/redirect.ts";
import { query } from "../../../worker/queries/query.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { bodyText, development, serve } from "../endpoint/serve.ts";
import { manifest } from "./fixture.tsx";
import { StreamedDocument } from "../../../worker/pages/stream.ts";

/** Long enough for the response to have started: its head and status were sent. */
const afterTheHead = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A promise the test settles, to hold a component at its await. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

let gates = { first: deferred(), second: deferred() };
afterEach(() => {
  gates.first.resolve();
  gates.second.resolve();
  gates = { first: deferred(), second: deferred() };
});

const getGated = query(
  registerServerFunction("streaming/getGated", async (which: "first" | "second") => {
    await gates[which].promise;
    return `${which} value`;
  }),
  "gated",
);

async function Gated({ which }: { which: "first" | "second" }) {
  return <p>{await getGated(which)}</p>;
}

function Layout({ children }: { children: Child }) {
  return (
    <div id="layout">
      <nav>Shop</nav>
      <main>{children}</main>
      <footer>Footer</footer>
    </div>
  );
}

// Text given as a promise, as a child and as an attribute's value (hono/jsx takes both).
const promisedText = () => <p title={Promise.resolve(`a&b"c`) as unknown as string}>{Promise.resolve("<i>&") as unknown as string}</p>;

const routes = defineRoutes([
  { path: "/promised-text", component: promisedText },
  {
    path: "/slow",
    title: "Slow",
    component: () => (
      <section>
        <h1>Ready at once</h1>
        <Gated which="first" />
        <Gated which="second" />
        <p>after both</p>
      </section>
    ),
  },
  {
    path: "/many-ready",
    component: () => (
      <ul>
        {Array.from({ length: 40 }, (_, index) => (
          <ReadyItem index={index} />
        ))}
      </ul>
    ),
  },
  {
    path: "/left-early",
    component: () => (
      <section>
        <h1>Ready at once</h1>
        <Gated which="first" />
        <GatedFailure />
      </section>
    ),
  },
  {
    path: "/late-redirect",
    component: async () => {
      await afterTheHead();
      throw redirect("/slow?from='late'");
    },
  },
  {
    path: "/late-error",
    component: () => (
      <section>
        <LateFailure />
        <p>still rendered</p>
      </section>
    ),
  },
  {
    path: "/late-not-found",
    component: async () => {
      await afterTheHead();
      throw new ServerError("There is no such item", { status: 404 });
    },
  },
  {
    path: "/late-status",
    component: async () => {
      await afterTheHead();
      getRequestEvent().response.status = 404;
      return <p>unreachable</p>;
    },
  },
  {
    path: "/late-header",
    component: async () => {
      await afterTheHead();
      getRequestEvent().response.headers.set("X-Late", "yes");
      return <p>unreachable</p>;
    },
  },
  {
    path: "/late-attribute",
    component: () => (
      <p>
        {/* hono/jsx takes a promise as an attribute's value */}
        <a id="link" href={(async () => {
          await afterTheHead();
          throw new Error("no address");
        })() as unknown as string}>
          link
        </a>
        <span>after the link</span>
      </p>
    ),
  },
  {
    path: "/late-cookie",
    component: async () => {
      await afterTheHead();
      cookies().set("late", "yes");
      return <p>unreachable</p>;
    },
  },
]);

async function LateFailure(): Promise<Child> {
  await afterTheHead();
  throw new Error("secret late failure");
}

async function ReadyItem({ index }: { index: number }) {
  return <li>{await getReady(index)}</li>;
}

const getReady = query(
  registerServerFunction("streaming/getReady", async (index: number) => `item ${index}`),
  "ready",
);

async function GatedFailure(): Promise<Child> {
  await gates.second.promise;
  throw new Error("failed after the reader left");
}

const app = serve({ routes, manifest, layout: Layout });

/** Reads the body until `text` has arrived (or the body ends), returning all read so far. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, text: string, sofar = ""): Promise<string> {
  const decoder = new TextDecoder();
  while (!sofar.includes(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    sofar += decoder.decode(value, { stream: true });
  }
  return sofar;
}

describe("a streamed page", () => {
  it("sends the head and the layout before a slow part, then the parts in document order, then the data", async () => {
    const response = await app("/slow");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
    const reader = response.body!.getReader();

    // Neither query has answered: the head, the layout and the ready heading are already here.
    let html = await readUntil(reader, "Ready at once");
    expect(html).toContain('<script type="module" src="/assets/entry-abc123.js"></script></head>');
    expect(html).toContain('<div id="layout"><nav>Shop</nav><main><section><h1>Ready at once</h1>');
    expect(html).not.toContain("first value");
    expect(html).not.toContain("<footer>");

    // The second part settles first, but HTML arrives in order: nothing new until the first does.
    gates.second.resolve();
    await new Promise((resolve) => setTimeout(resolve, 20));
    gates.first.resolve();
    html = await readUntil(reader, "</html>", html);
    expect(html).toMatch(
      /<h1>Ready at once<\/h1><p>first value<\/p><p>second value<\/p><p>after both<\/p><\/section><\/main><footer>Footer<\/footer><\/div><script type="application\/json" id="sortie-data">.*"first value".*"second value".*<\/script><\/body><\/html>$/s,
    );
  });

  it("sends a page whose parts are ready at once as the same bytes it streams", async () => {
    const streamed = await app("/slow");
    const reader = streamed.body!.getReader();
    let html = await readUntil(reader, "Ready at once");
    gates.first.resolve();
    gates.second.resolve();
    html = await readUntil(reader, "</html>", html);
    // Now the gates are open: the same page settles within the request's first turns.
    const whole = await bodyText(await app("/slow"));
    expect(whole).toBe(html);
  });

  it("stops writing once the reader cancels: a part that fails after that is neither rendered nor logged", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const reader = (await app("/left-early")).body!.getReader();
      await readUntil(reader, "Ready at once");
      await reader.cancel();
      gates.first.resolve();
      gates.second.resolve();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it("sends a page of many async parts whose data is at hand as one string, not a stream", async () => {
    const body = vi.spyOn(StreamedDocument.prototype, "body");
    try {
      const html = await bodyText(await app("/many-ready"));
      expect(html).toContain("<li>item 0</li>");
      expect(html).toContain("<li>item 39</li>");
      expect(body).toHaveBeenCalledTimes(1);
      expect(typeof (await body.mock.results[0]!.value)).toBe("string");
    } finally {
      body.mockRestore();
    }
  });

  it("answers HEAD with the head's status and headers and writes none of the parts", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const response = await app("/late-error", { method: "HEAD" });
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
      expect(await bodyText(response)).toBe("");
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it("writes text that came as a promise escaped as hono/jsx itself writes it", async () => {
    const html = await bodyText(await app("/promised-text"));
    const byHono = String(await (promisedText() as unknown as { toString(): Promise<string> }).toString());
    expect(byHono).toBe('<p title="a&amp;b&quot;c">&lt;i&gt;&amp;</p>');
    expect(html).toContain(byHono);
  });

  it("answers a redirect thrown after the first byte with a refresh and a link, and ends the document", async () => {
    const response = await app("/late-redirect");
    expect(response.status).toBe(200);
    expect(response.headers.get("Location")).toBeNull();
    const html = await bodyText(response);
    expect(html).toContain(`<meta http-equiv="refresh" content="0;url=/slow?from=%27late%27"><p data-sortie-redirect><a href="/slow?from=%27late%27">Continue</a></p></body></html>`);
    expect(html).not.toContain("<footer>");
    expect(html).not.toContain("sortie-data");
  });

  it("puts an error thrown after the first byte where its part would be, hides it in production, logs it under the id it shows, and renders the rest", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const response = await app("/late-error");
      expect(response.status).toBe(200);
      const html = await bodyText(response);
      const notice = html.match(/<p role="alert" data-sortie-error="500">Internal Server Error \(error id ([0-9a-f-]{36})\)<\/p><p>still rendered<\/p>/);
      expect(notice).not.toBeNull();
      expect(html).not.toContain("secret late failure");
      expect(html).toContain("<footer>Footer</footer>");
      expect(html).toContain('id="sortie-data"');
      expect(logged).toHaveBeenCalledWith(`[sortie] page /late-error failed (error id ${notice![1]}):`, expect.objectContaining({ message: "secret late failure" }));
    } finally {
      logged.mockRestore();
    }
  });

  it("shows a deliberate error's message and status in its notice", async () => {
    const html = await bodyText(await app("/late-not-found"));
    expect(html).toContain('<main><p role="alert" data-sortie-error="404">There is no such item</p></main>');
  });

  it("shows the message of an unexpected late error in development", async () => {
    const dev = serve({ routes, manifest, layout: Layout }, development);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await bodyText(await dev("/late-error"))).toMatch(/data-sortie-error="500">secret late failure \(error id /);
    } finally {
      logged.mockRestore();
    }
  });

  it("leaves an attribute whose promise failed late empty, logs why, and renders the rest", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const html = await bodyText(await app("/late-attribute"));
      expect(html).toContain('<a id="link" href="">link</a><span>after the link</span>');
      expect(logged).toHaveBeenCalledWith(expect.stringMatching(/page \/late-attribute: a promise given as an attribute's value failed/), expect.objectContaining({ message: "no address" }));
    } finally {
      logged.mockRestore();
    }
  });

  it("refuses a status, a header or a cookie set after the first byte, saying why, instead of dropping it", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const dev = serve({ routes, manifest, layout: Layout }, development);
      const status = await dev("/late-status");
      expect(status.status).toBe(200);
      expect(await bodyText(status)).toMatch(/response\.status = 404 was called after the response started: .*stream: false/);

      const header = await dev("/late-header");
      expect(header.headers.get("X-Late")).toBeNull();
      expect(await bodyText(header)).toMatch(/response\.headers\.set\(&#34;X-Late&#34;\) was called after the response started/);

      const cookie = await dev("/late-cookie");
      expect(cookie.headers.getSetCookie()).toEqual([]);
      expect(await bodyText(cookie)).toMatch(/cookies\(\)\.set\(&#34;late&#34;\) was called after the response started/);
    } finally {
      logged.mockRestore();
    }
  });
});
