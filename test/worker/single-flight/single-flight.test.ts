import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { applyQueryRecords, readQuery, subscribeQuery } from "../../../client/cache.ts";
import { followRedirects } from "../../../client/router.ts";
import { queryKey } from "../../../common/query-key.ts";
import { Redirect } from "../../../common/redirect.ts";
import { ServerError } from "../../../common/errors.ts";
import { encodeArguments } from "../../../common/wire.ts";
import { ORIGIN, serve, useClient, type Fetch } from "../endpoint/serve.ts";
import { leave, visit } from "./browser.ts";
import { client, closeGate, gate, manifest, resetProducts, routes, runs } from "./fixture.ts";

const app = serve({ routes, manifest });
const requests: string[] = [];
const cookieJar = new Map<string, string>();

/** The browser's side of the wire: counts requests and keeps cookies like a browser does. */
const browserFetch: Fetch = async (input, init) => {
  requests.push(`${init?.method ?? "GET"} ${String(input)}`);
  const headers = new Headers(init?.headers);
  if (cookieJar.size) headers.set("Cookie", [...cookieJar].map(([name, value]) => `${name}=${value}`).join("; "));
  const response = await app(input, { ...init, headers });
  for (const line of response.headers.getSetCookie()) {
    const [name, value] = line.split(";")[0]!.split(/=(.*)/s) as [string, string];
    if (/max-age=0\b|expires=thu, 01 jan 1970/i.test(line)) cookieJar.delete(name);
    else cookieJar.set(name, value);
  }
  return response;
};
useClient(browserFetch);

beforeAll(() => {
  // What start() does in the browser: records feed the cache, redirects go to the router.
  applyQueryRecords();
  followRedirects();
});

beforeEach(async () => {
  await resetProducts();
  requests.length = 0;
  cookieJar.clear();
  runs.clear();
  closeGate();
});

afterEach(() => {
  gate.open();
  leave();
});

const productKey = (id: string) => queryKey("product", [id]);

describe("single flight through the real client stub", () => {
  it("makes exactly one request per mutation and brings the fresh data in it", async () => {
    visit("/products/1");
    const changes: unknown[] = [];
    const unsubscribe = subscribeQuery(productKey("1"), () => changes.push(readQuery(productKey("1"))));

    const result = await client.rename("1", "Brass lamp");
    expect(result).toEqual({ renamed: "Lamp" });
    await expect.poll(() => changes.length).toBe(1);
    unsubscribe();

    expect(requests).toEqual(["POST /_server/sf%2Frename"]);
    expect(readQuery(productKey("1"))).toEqual({ ok: true, value: { id: "1", name: "Brass lamp" } });
    expect(readQuery(queryKey("reviews", ["1"]))).toEqual({ ok: true, value: ["review of 1"] });
    // The action's own read was cached; the re-run read again after the cache was cleared.
    expect(runs.get("product")).toBe(2);
  });

  it("resolves the call as soon as the action's record arrives, while a query is still running", async () => {
    visit("/slow/2");
    const stockKey = queryKey("stock", ["2"]);
    const result = await client.rename("2", "Armchair");
    expect(result).toEqual({ renamed: "Chair" });
    expect(runs.get("stock")).toBe(1);
    expect(readQuery(stockKey)).toBeUndefined();

    gate.open();
    await expect.poll(() => readQuery(stockKey)).toEqual({ ok: true, value: { id: "2", stock: 7 } });
    expect(readQuery(productKey("2"))).toEqual({ ok: true, value: { id: "2", name: "Armchair" } });
    expect(requests).toHaveLength(1);
  });

  it("re-runs queries with the cookies and session the action left", async () => {
    visit("/account");
    const visitorKey = queryKey("visitor", []);
    await client.signIn("ada");
    await expect.poll(() => readQuery(visitorKey)).toEqual({ ok: true, value: { theme: "dark", user: "ada" } });
    expect(requests).toHaveLength(1);
  });

  it("re-runs queries after a sign-out with the cookie deleted and the session cleared", async () => {
    visit("/account");
    const visitorKey = queryKey("visitor", []);
    await client.signIn("ada");
    await expect.poll(() => readQuery(visitorKey)).toEqual({ ok: true, value: { theme: "dark", user: "ada" } });
    expect(cookieJar.get("theme")).toBe("dark");

    await client.signOut();
    await expect.poll(() => readQuery(visitorKey)).toEqual({ ok: true, value: { theme: null, user: null } });
    expect(requests).toHaveLength(2);
  });
});

describe("which queries come back", () => {
  it("revalidate(query.key) narrows the re-run records to that query", async () => {
    visit("/products/1");
    const response = await app("/_server/sf%2Frename", stubCall(["1", "Desk lamp", "narrow"], "/products/1"));
    const records = await readAll(response);
    expect(records.map(recordKind)).toEqual(["result", "query product"]);
  });

  it("revalidate(query.keyFor(args)) narrows to one call", async () => {
    const response = await app("/_server/sf%2Frename", stubCall(["1", "Desk lamp", "narrow-call"], "/products/1"));
    expect((await readAll(response)).map(recordKind)).toEqual(["result", "query reviews"]);
  });

  it("revalidate(false) opts out: no preload runs, only the result comes back", async () => {
    const response = await app("/_server/sf%2Frename", stubCall(["1", "Desk lamp", "none"], "/products/1"));
    expect((await readAll(response)).map(recordKind)).toEqual(["result"]);
    expect(runs.get("reviews")).toBeUndefined();
  });

  it("a failed call re-runs nothing", async () => {
    visit("/products/1");
    await expect(client.fail()).rejects.toThrow(new ServerError("name is required"));
    expect(runs.size).toBe(0);
  });

  it("a failing query gets an error record; the action's result and the other queries stand", async () => {
    visit("/broken/3");
    const result = await client.rename("3", "Standing desk");
    expect(result).toEqual({ renamed: "Desk" });
    const brokenKey = queryKey("broken", []);
    await expect.poll(() => readQuery(brokenKey)?.ok).toBe(false);
    const error = (readQuery(brokenKey) as { error: ServerError }).error;
    expect(error).toBeInstanceOf(ServerError);
    // Production hides the message; the server logged it under the id the client got.
    expect(error.message).toBe("Internal Server Error");
    expect(error.errorId).toMatch(/^[0-9a-f-]{36}$/);
    // Records come as their queries settle, in no set order: wait for this one too.
    await expect.poll(() => readQuery(productKey("3"))).toEqual({ ok: true, value: { id: "3", name: "Standing desk" } });
  });

  it("caps the re-run at maxQueries; the rest never runs", async () => {
    const capped = serve({ routes, manifest, maxQueries: 3 });
    const response = await capped("/_server/sf%2Frename", stubCall(["1", "Lamp"], "/numbers"));
    const records = await readAll(response);
    expect(records.map(recordKind)).toEqual(["result", "query number", "query number", "query number"]);
    expect([...runs.keys()].filter((name) => name.startsWith("number")).sort()).toEqual(["number 1", "number 2", "number 3"]);
  });

  it("logs the cap's refusal once, whether the preload awaits the refused calls or not, and leaves no rejection unhandled", async () => {
    const capped = serve({ routes, manifest, maxQueries: 3 });
    const unhandled: unknown[] = [];
    const onUnhandled = (event: PromiseRejectionEvent) => unhandled.push(event.reason);
    addEventListener("unhandledrejection", onUnhandled);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      for (const page of ["/numbers", "/numbers-unawaited"]) {
        logged.mockClear();
        const records = await readAll(await capped("/_server/sf%2Frename", stubCall(["1", "Lamp"], page)));
        expect(records.map(recordKind)).toEqual(["result", "query number", "query number", "query number"]);
        expect(logged).toHaveBeenCalledOnce();
        expect(logged.mock.calls[0]).toEqual([
          expect.stringMatching(new RegExp(`^\\[sortie\\] single-flight preload of ${page} failed \\(error id `)),
          expect.objectContaining({ name: "QueryLimitError", message: expect.stringMatching(/limit of queries \(createSortie option maxQueries\); "number\[\d\]" was not run/) }),
        ]);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      logged.mockRestore();
      removeEventListener("unhandledrejection", onUnhandled);
    }
  });

  it("without a cap option the default of 16 lets the whole page through", async () => {
    const response = await app("/_server/sf%2Frename", stubCall(["1", "Lamp"], "/numbers"));
    expect((await readAll(response)).filter((record) => "q" in record)).toHaveLength(5);
  });

  it("refuses a maxQueries that is not a positive whole number", () => {
    expect(() => serve({ routes, manifest, maxQueries: 0 })).toThrow(/maxQueries.*positive whole number/);
  });
});

describe("the page to refresh", () => {
  const hostile: Array<[string, Record<string, string>]> = [
    ["no page header", {}],
    ["another origin", { "X-Sortie-Page": "https://evil.example/products/1" }],
    ["a protocol-relative URL", { "X-Sortie-Page": "//evil.example/products/1" }],
    ["a javascript: URL", { "X-Sortie-Page": "javascript:alert(1)" }],
    ["malformed percent-encoding", { "X-Sortie-Page": "/products/%E0%A4%A" }],
    ["a path no route matches", { "X-Sortie-Page": "/nowhere" }],
    ["garbage", { "X-Sortie-Page": "http://[::1" }],
  ];
  it.each(hostile)("%s: the result only, no crash, nothing re-run", async (_case, headers) => {
    const response = await app("/_server/sf%2Frename", stubCall(["1", "Lamp"], undefined, headers));
    expect(response.status).toBe(200);
    expect((await readAll(response)).map(recordKind)).toEqual(["result"]);
    expect(runs.get("reviews")).toBeUndefined();
  });

  it("a redirect re-runs the target page's preload, not the page the call came from", async () => {
    const response = await app("/_server/sf%2Frename-and-go", stubCall(["2", "Stool", "/products/2"], "/account"));
    const records = await readAll(response);
    expect(records.map(recordKind)[0]).toBe("redirect /products/2");
    // Queries come as each resolves, in no fixed order.
    expect(records.slice(1).map(recordKind).sort()).toEqual(["query product", "query reviews"]);
    expect(runs.get("visitor")).toBeUndefined();
  });

  it("to another page, the client navigates at once without waiting for the target's queries", async () => {
    const location = visit("/products/1");
    let stockWrites = 0;
    const unsubscribe = subscribeQuery(queryKey("stock", ["2"]), () => stockWrites++);
    const result = await client.renameAndGo("2", "Stool", "/slow/2");
    expect(result).toBeInstanceOf(Redirect);
    // The target's slow query is still held at the gate, yet the browser is already leaving.
    expect(runs.get("stock")).toBe(1);
    expect(location.assign).toHaveBeenCalledExactlyOnceWith(`${ORIGIN}/slow/2`);
    expect(stockWrites).toBe(0);
    expect(requests).toHaveLength(1);
    unsubscribe();
  });

  it("to the page the browser is on, no navigation: the records refresh it in place", async () => {
    const location = visit("/products/2");
    await client.renameAndGo("2", "Stool", "/products/2");
    expect(location.assign).not.toHaveBeenCalled();
    await expect.poll(() => readQuery(productKey("2"))).toEqual({ ok: true, value: { id: "2", name: "Stool" } });
    expect(requests).toHaveLength(1);
  });
});

describe("the response stream", () => {
  it("sends the action's record first and each query as it resolves, a slow one last", async () => {
    const response = await app("/_server/sf%2Frename", stubCall(["2", "Armchair"], "/slow/2"));
    const lines = readLines(response);
    expect(await lines.next()).toEqual({ done: false, value: expect.stringMatching(/^\{"r":/) });
    // The product arrives while the stock query is still held at the gate.
    expect(recordKind(JSON.parse((await lines.next()).value!))).toBe("query product");
    expect(runs.get("stock")).toBe(1);

    gate.open();
    expect(recordKind(JSON.parse((await lines.next()).value!))).toBe("query stock");
    expect((await lines.next()).done).toBe(true);
  });
});

/** The body's lines as they arrive. */
async function* readLines(response: Response): AsyncGenerator<string> {
  let buffered = "";
  for await (const chunk of response.body!.pipeThrough(new TextDecoderStream()) as unknown as AsyncIterable<string>) {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    yield* lines;
  }
}

type RawRecord = Record<string, unknown>;

/** A stub call as the client sends it (used where the test needs the raw stream). */
function stubCall(args: unknown[], page?: string, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: {
      "X-Sortie": "1",
      "Content-Type": "application/json",
      Origin: ORIGIN,
      "Sec-Fetch-Site": "same-origin",
      ...(page ? { "X-Sortie-Page": page } : {}),
      ...headers,
    },
    body: encodeArguments(args),
  };
}

async function readAll(response: Response): Promise<RawRecord[]> {
  const text = new TextDecoder().decode(await response.arrayBuffer());
  return text.trim().split("\n").map((line) => JSON.parse(line) as RawRecord);
}

function recordKind(record: RawRecord): string {
  if ("r" in record) return "result";
  if ("l" in record) return `redirect ${record.l}`;
  if ("q" in record) return `query ${record.q}`;
  return Object.keys(record).join(",");
}
