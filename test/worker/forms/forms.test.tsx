import { beforeEach, describe, expect, it } from "vitest";
import { actionUrl, decodeSubmission, ECHO_FIELD, RETURN_FIELD, SUBMISSION_DATA_ID } from "../../../common/forms.ts";
import { ORIGIN, serve, development } from "../endpoint/serve.ts";
import { bindings, watchedKv } from "../session/visitor.ts";
import { useSubmission } from "../../../worker/forms/submission.ts";
import { FormBrowser, textOf } from "./browser.ts";
import { manifest, received, rename, routes, upload } from "./fixture.tsx";
import { STUB_REFERENCES } from "../../../client/stub.ts";

const app = serve({ routes, manifest });
const renameUrl = (id: string) => actionUrl(rename.with(id));
const outcome = (html: string) => JSON.parse(textOf(html, "outcome") ?? "null");
/** The hidden fields the markup step adds for a form's ordinary inputs: the names the flash may echo. */
const echo = (...names: string[]): [string, string][] => names.map((name) => [ECHO_FIELD, name]);
const pairs = (fields: Record<string, string>, ...echoed: string[]): [string, string][] => [...Object.entries(fields), ...echo(...echoed)];

/** The forms of a page, as the browser gets them. */
const formsOf = (html: string) => html.match(/<form(?:\s[^>]*)?>[\s\S]*?<\/form>/g) ?? [];

describe("the page's forms", () => {
  it("a form posting to a server function gets the page's path as a hidden field, and the names of its ordinary inputs (no password, one-time code or file)", async () => {
    const { html } = await new FormBrowser(app).open("/products/1?tab=edit&x=<1>");
    const [own] = formsOf(html);
    expect(own).toContain(`<form method="post" action="${renameUrl("1").replaceAll("&", "&amp;")}" enctype="multipart/form-data">`);
    expect(own).toMatch(
      /<\/button><input type="hidden" name="\$return" value="\/products\/1\?tab=edit&#38;x=%3C1%3E"><input type="hidden" name="\$echo" value="name"><\/form>$/,
    );
  });

  it("<form action={fn}> without a method is made a multipart POST; a formAction button makes its form post", async () => {
    const { html } = await new FormBrowser(app).open("/products/1");
    const [, plain, search, get] = formsOf(html);
    expect(plain).toBe(
      `<form action="/_server/forms%2Fcreate" method="post" enctype="multipart/form-data"><input name="name"/><input type="hidden" name="$return" value="/products/1"><input type="hidden" name="$echo" value="name"></form>`,
    );
    expect(search).toBe(
      `<form action="/search"><input name="q"/><button formaction="/_server/forms%2Fcreate" formmethod="post" formenctype="multipart/form-data">Create instead</button><input type="hidden" name="$return" value="/products/1"><input type="hidden" name="$echo" value="q"></form>`,
    );
    // Not a server function's form: untouched, password and all.
    expect(get).toBe(`<form action="/search" method="get"><input type="password" name="not-ours"/></form>`);
    // A self-closing form in foreign content has no end tag: left alone, and the page still renders.
    expect(html).toContain("<svg><form/></svg>");
  });
});

describe("a plain form post (no JavaScript)", () => {
  it("runs the function with the FormData last and answers 303 back to the page, with every cookie", async () => {
    const browser = new FormBrowser(app);
    const response = await browser.submit(renameUrl("1"), { name: "Desk lamp", confirm: "hunter2", [RETURN_FIELD]: "/products/1?tab=edit" });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/products/1?tab=edit");
    const [id, form] = received.rename!;
    expect(id).toBe("1");
    // The function never sees Sortie's fields.
    expect([...(form as FormData)]).toEqual([["name", "Desk lamp"], ["confirm", "hunter2"]]);
    // The function's own cookie, the session's and the flash's, side by side.
    const names = response.headers.getSetCookie().map((header) => header.slice(0, header.indexOf("=")));
    expect(names.sort()).toEqual(["__Host-session", expect.stringMatching(/^__Host-sortie-flash\.[\w-]{22}$/), "theme"]);
    expect(browser.cookies.get("theme")).toBe("dark");
  });

  it("shows the result once, on the next page render, and embeds it for the browser", async () => {
    const browser = new FormBrowser(app);
    await browser.submit(renameUrl("1"), pairs({ name: "Desk lamp", [RETURN_FIELD]: "/products/1" }, "name"));
    const first = await browser.open("/products/1");
    expect(textOf(first.html, "result")).toBe("Renamed to Desk lamp (9 characters)");
    expect(textOf(first.html, "any")).toBe('input [["name","Desk lamp"]]');
    const embedded = new RegExp(`<script type="application/json" id="${SUBMISSION_DATA_ID}">(.*?)</script></body>`).exec(first.html);
    expect(JSON.parse(embedded![1]!)).toMatchObject([{ id: "forms/rename", bound: '{"t":{"t":9,"i":0,"a":[{"t":1,"s":"1"}],"o":0},"f":0,"m":[]}' }]);

    const second = await browser.open("/products/1");
    expect(textOf(second.html, "nothing")).toBe("No submission");
    expect(second.html).not.toContain(SUBMISSION_DATA_ID);
  });

  it("follows redirect() with a 303 and the function's cookies, and keeps no flash", async () => {
    const browser = new FormBrowser(app);
    const response = await browser.submit("/_server/forms%2Fcreate", { name: "Lamp", [RETURN_FIELD]: "/products/1" });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/products/Lamp");
    expect(response.headers.getSetCookie()).toEqual(["created=yes; Path=/; HttpOnly; Secure; SameSite=Lax"]);
    expect(received.create![0]).toBeInstanceOf(FormData);
  });

  it("a deliberate error (validation) goes back to the page with its message, data and the input", async () => {
    const browser = new FormBrowser(app);
    const response = await browser.submit(renameUrl("7"), pairs({ name: "  ", confirm: "hunter2", note: "keep me", [RETURN_FIELD]: "/products/7" }, "name", "note"));
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/products/7");
    // Nothing the function changed is kept: it threw before setting its cookie.
    expect(browser.cookies.has("theme")).toBe(false);
    const { html } = await browser.open("/products/7");
    expect(textOf(html, "error")).toBe('422 Give the product a name {"field":"name"}');
    expect(textOf(html, "any")).toBe('input [["name","  "],["note","keep me"]]');
  });

  it("an unexpected error goes back too, its message hidden in production behind a logged id", async () => {
    const browser = new FormBrowser(app);
    const response = await browser.submit("/_server/forms%2Fcrash", { [RETURN_FIELD]: "/outcome/crash" });
    expect([response.status, response.headers.get("Location")]).toEqual([303, "/outcome/crash"]);
    expect(outcome((await browser.open("/outcome/crash")).html)).toEqual({ status: 500, message: "Internal Server Error", hidden: true, input: [] });
  });

  it("a result that cannot outlive the request (a Promise inside) becomes an error saying so", async () => {
    const browser = new FormBrowser(serve({ routes, manifest }, development));
    await browser.submit("/_server/forms%2Flater", { [RETURN_FIELD]: "/outcome/later" });
    const shown = outcome((await browser.open("/outcome/later")).html);
    expect(shown.status).toBe(500);
    expect(shown.message).toMatch(/^A plain form post \(no JavaScript\) cannot carry this server function's result to the next page: .*\(The value \[object Promise\] of type "object" cannot be parsed\/serialized/);
  });

  it("carries a large input (over 8 KB, past any cookie's limit) through the flash", async () => {
    const browser = new FormBrowser(app);
    const name = "ä".repeat(12_000);
    await browser.submit(renameUrl("1"), { name, [RETURN_FIELD]: "/products/1" });
    const { html } = await browser.open("/products/1");
    expect(textOf(html, "result")).toBe(`Renamed to ${name} (12000 characters)`);
  });

  it("takes multipart forms: files reach the function, never the echoed input", async () => {
    const browser = new FormBrowser(app);
    const form = new FormData();
    form.append("title", "Manual");
    form.append("attachment", new File(["%PDF-1.7"], "manual.pdf", { type: "application/pdf" }));
    form.append(RETURN_FIELD, "/outcome/upload");
    form.append(ECHO_FIELD, "title");
    form.append(ECHO_FIELD, "attachment");
    const response = await browser.submit(actionUrl(upload), form);
    expect([response.status, response.headers.get("Location")]).toEqual([303, "/outcome/upload"]);
    expect(outcome((await browser.open("/outcome/upload")).html)).toEqual({ result: "manual.pdf: %PDF-1.7", input: [["title", "Manual"]] });
  });

  it("echoes only the fields the form rendered as ordinary inputs, never one with a secret-looking name", async () => {
    const browser = new FormBrowser(app);
    const secrets = ["newPassword", "pw", "pword", "api_key", "apikey", "accesstoken", "credential", "cardNumber", "ccnum", "cc-csc", "accountNumber", "otp", "totp", "mfaCode"];
    const fields = { name: "Lamp", plain: "f", shipping: "g", confirm: "h", injected: "i", "": "nameless", ...Object.fromEntries(secrets.map((name) => [name, "s"])) };
    // Even a forged $echo list naming the secrets (the page lists name, plain, shipping) echoes none of them.
    await browser.submit(renameUrl("1"), pairs({ ...fields, [RETURN_FIELD]: "/products/1" }, "name", "plain", "shipping", "", ...secrets));
    expect(textOf((await browser.open("/products/1")).html, "any")).toBe('input [["name","Lamp"],["plain","f"],["shipping","g"]]');
  });

  it("a post with no $echo list echoes nothing", async () => {
    const browser = new FormBrowser(app);
    await browser.submit(renameUrl("1"), { name: "Lamp", [RETURN_FIELD]: "/products/1" });
    expect(textOf((await browser.open("/products/1")).html, "any")).toBe("input []");
  });

  it("over its caps (100 fields, 32 KiB) the flash drops the input and keeps the outcome", async () => {
    const browser = new FormBrowser(app);
    const many = Array.from({ length: 101 }, (_, i): [string, string] => [`f${i}`, "x"]);
    await browser.submit(renameUrl("7"), [["name", " "], ...many, ...echo("name", ...many.map(([name]) => name)), [RETURN_FIELD, "/products/7"]]);
    let html = (await browser.open("/products/7")).html;
    expect(textOf(html, "error")).toBe('422 Give the product a name {"field":"name"}');
    expect(textOf(html, "any")).toBe("input []");
    await browser.submit(renameUrl("7"), [["name", " "], ["note", "n".repeat(33 * 1024)], ...echo("name", "note"), [RETURN_FIELD, "/products/7"]]);
    html = (await browser.open("/products/7")).html;
    expect(textOf(html, "error")).toBe('422 Give the product a name {"field":"name"}');
    expect(textOf(html, "any")).toBe("input []");
  });

  it("a flood of empty fields (800 KB of =&) is a 400 too-many-fields, stored nowhere", async () => {
    const browser = new FormBrowser(app);
    const response = await browser.request(renameUrl("1"), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" },
      body: "=&".repeat(400_000),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("X-Sortie-Error")).toBe("too-many-fields");
    expect(await response.text()).toContain("more than 1000 fields (the maxFormFields option)");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("hostile input cannot break out of the embedded data", async () => {
    const browser = new FormBrowser(app);
    const name = "</script><script>alert(1)</script><!--";
    await browser.submit(renameUrl("1"), pairs({ name, [RETURN_FIELD]: "/products/1" }, "name"));
    const { html } = await browser.open("/products/1");
    // The page's own data script, the submission's, and nothing else.
    expect(html.match(/<script/g)).toHaveLength(3);
    const embedded = new RegExp(`id="${SUBMISSION_DATA_ID}">(.*?)</script>`).exec(html)![1]!;
    expect(embedded).not.toContain("<");
    expect(decodeSubmission(JSON.parse(embedded)[0].value, STUB_REFERENCES).result).toEqual({ renamed: name, size: name.length });
  });

  it("a HEAD request leaves the flash unread", async () => {
    const browser = new FormBrowser(app);
    await browser.submit(renameUrl("1"), { name: "Lamp", [RETURN_FIELD]: "/products/1" });
    await browser.request("/products/1", { method: "HEAD" });
    expect(textOf((await browser.open("/products/1")).html, "result")).toBe("Renamed to Lamp (4 characters)");
  });

  it("a .with(...) submission shows only where the same arguments are asked for", async () => {
    const browser = new FormBrowser(app);
    await browser.submit(renameUrl("1"), pairs({ name: "Lamp", [RETURN_FIELD]: "/products/2" }, "name"));
    const { html } = await browser.open("/products/2");
    expect(textOf(html, "nothing")).toBe("No submission");
    expect(textOf(html, "any")).toBe('input [["name","Lamp"]]');
  });
});

describe("the API", () => {
  it("useSubmission and actionUrl refuse what is not a server function, naming it", () => {
    const plain = async () => 1;
    expect(() => useSubmission(plain)).toThrow('useSubmission(action): action must be a server function (a "use server" function or its .with(...))');
    expect(() => actionUrl(plain)).toThrow(/^actionUrl\(action\): action must be a server function/);
  });

  it("actionUrl is the URL a form posts to, bound arguments included", () => {
    expect(actionUrl(upload)).toBe("/_server/forms%2Fupload");
    expect(actionUrl(rename.with("7"))).toBe(`/_server/forms%2Frename?bound=${encodeURIComponent('{"t":{"t":9,"i":0,"a":[{"t":1,"s":"7"}],"o":0},"f":0,"m":[]}')}`);
  });

  it("outside a page render there is no submission", () => {
    expect(useSubmission(rename)).toBeUndefined();
  });
});

describe("the way back", () => {
  const offSite = [
    "//evil.example",
    "//evil.example/path",
    "https://evil.example",
    "http://evil.example/",
    "/\\evil.example",
    "\\/evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%252F%252Fevil.example",
    "/.//evil.example",
    "/%2e//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " /products/1",
    "products/1",
    "/%E0%A4%A",
    "",
  ];

  for (const value of offSite) {
    it(`refuses ${JSON.stringify(value)}: back to /`, async () => {
      const response = await new FormBrowser(app).submit(renameUrl("1"), { name: "x", [RETURN_FIELD]: value });
      expect(response.status).toBe(303);
      expect(response.headers.get("Location")).toBe("/");
    });
  }

  it("keeps a same-origin path with its query", async () => {
    const response = await new FormBrowser(app).submit(renameUrl("1"), { name: "x", [RETURN_FIELD]: "/files/a%2Fb?q=%2F%2Fx#top" });
    expect(response.headers.get("Location")).toBe("/files/a%2Fb?q=%2F%2Fx#top");
  });

  it("without the field: a same-origin Referer, else /", async () => {
    const post = (referer: string) => new FormBrowser(app).submit(renameUrl("1"), { name: "x" }, { Referer: referer });
    expect((await post(`${ORIGIN}/products/1?tab=edit`)).headers.get("Location")).toBe("/products/1?tab=edit");
    expect((await post("https://evil.example/products/1")).headers.get("Location")).toBe("/");
    expect((await post(`${ORIGIN}//evil.example`)).headers.get("Location")).toBe("/");
    expect((await post("not a url")).headers.get("Location")).toBe("/");
    expect((await new FormBrowser(app).submit(renameUrl("1"), { name: "x" })).headers.get("Location")).toBe("/");
  });

  it("an off-site field does not win over a good Referer", async () => {
    const response = await new FormBrowser(app).submit(renameUrl("1"), { name: "x", [RETURN_FIELD]: "//evil.example" }, { Referer: `${ORIGIN}/products/1` });
    expect(response.headers.get("Location")).toBe("/products/1");
  });
});

describe("refused form posts get a readable HTML page", () => {
  const expectPage = async (response: Response, status: number, code: string, message: RegExp) => {
    expect(response.status).toBe(status);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("X-Sortie-Error")).toBe(code);
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toMatch(message);
    return html;
  };

  it("an unknown function: 404, saying to reload, with a link back", async () => {
    const response = await new FormBrowser(app).submit("/_server/forms%2Fnope", { name: "x" }, { Referer: `${ORIGIN}/products/1` });
    const html = await expectPage(response, 404, "unknown-function", /This deployment has no server function &quot;forms\/nope&quot;.*reload it \(HTTP 404\)/);
    expect(html).toContain('<a href="/products/1">Back to the page</a>');
  });

  it("a cross-site post: 403", async () => {
    const response = await new FormBrowser(app).submit(renameUrl("1"), { name: "x" }, { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" });
    const html = await expectPage(response, 403, "forbidden-origin", /Cross-origin request refused: a page on https:\/\/evil.example/);
    expect(html).toContain('<a href="/">Back to the page</a>');
  });

  it("a body over maxBodySize: 413", async () => {
    const small = serve({ routes, manifest, maxBodySize: 1024 });
    const response = await new FormBrowser(small).submit(renameUrl("1"), { name: "x".repeat(2048) });
    await expectPage(response, 413, "body-too-large", /larger than the limit of 1024 bytes/);
  });

  it("a form encoding the endpoint cannot read (text/plain): 400", async () => {
    const response = await new FormBrowser(app).submit(renameUrl("1"), {}, { "Content-Type": "text/plain" });
    await expectPage(response, 400, "unsupported-content-type", /must send application\/x-www-form-urlencoded or multipart\/form-data/);
  });

  it("malformed bound arguments in the URL: 400", async () => {
    const response = await new FormBrowser(app).submit("/_server/forms%2Frename?bound=%7Bnope", { name: "x" });
    await expectPage(response, 400, "malformed-arguments", /\?bound= is not JSON/);
  });

  it("stub calls keep their JSON refusals", async () => {
    const response = await app("/_server/forms%2Fnope", { method: "POST", headers: { "X-Sortie": "1", "Content-Type": "application/json" }, body: "[]" });
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toBe("application/json");
  });
});

describe("the flash and the session store", () => {
  const flashCookies = (browser: FormBrowser) => [...browser.cookies.keys()].filter((name) => name.startsWith("__Host-sortie-flash."));

  it("each post writes a flash of its own, once; the session only when the function changed it", async () => {
    const kv = watchedKv();
    const browser = new FormBrowser(serve({ routes, manifest }, { ...bindings, SESSIONS: kv.namespace }));
    // rename changes the session: its write and the flash's, both of keys born in this request
    // (a new session, a new nonce), so neither is read first for a tombstone.
    await browser.submit(renameUrl("1"), { name: "Lamp", [RETURN_FIELD]: "/products/1" });
    expect(kv.calls).toEqual({ get: 0, put: 2, delete: 0 });
    expect(textOf((await browser.open("/session")).html, "keys")).toBe("renames");
    // upload leaves the session alone: the flash alone is written, and no session cookie goes out.
    const before = { ...kv.calls };
    const form = new FormData();
    form.append(RETURN_FIELD, "/outcome/upload");
    const response = await browser.submit(actionUrl(upload), form);
    expect(kv.calls.put - before.put).toBe(1);
    expect(response.headers.getSetCookie().map((header) => header.slice(0, header.indexOf("=")))).toEqual([expect.stringMatching(/^__Host-sortie-flash\./)]);
  });

  it("a page reads only flashes addressed to it, shows each once and writes nothing; an unrelated page neither shows nor consumes one", async () => {
    const kv = watchedKv();
    const browser = new FormBrowser(serve({ routes, manifest }, { ...bindings, SESSIONS: kv.namespace }));
    await browser.open("/products/1");
    expect(kv.calls).toEqual({ get: 0, put: 0, delete: 0 });

    await browser.submit(renameUrl("1"), { name: "Lamp", [RETURN_FIELD]: "/products/1" });
    const afterPost = { ...kv.calls };
    // Another page: no store read, the flash stays for its own page.
    expect(textOf((await browser.open("/products/2")).html, "nothing")).toBe("No submission");
    expect(kv.calls).toEqual(afterPost);
    expect(flashCookies(browser)).toHaveLength(1);

    expect(textOf((await browser.open("/products/1")).html, "result")).toBe("Renamed to Lamp (4 characters)");
    expect(kv.calls).toEqual({ ...afterPost, get: afterPost.get + 1 });
    expect(flashCookies(browser)).toEqual([]);
    expect(textOf((await browser.open("/products/1")).html, "nothing")).toBe("No submission");
  });

  it("posts sent in parallel each keep their flash, each shown once on its own page", async () => {
    const browser = new FormBrowser(app);
    const pages = ["/products/1", "/products/2", "/products/3", "/products/4", "/products/5"];
    const responses = await Promise.all(pages.map((page, i) => browser.submit(renameUrl(String(i + 1)), { name: `Lamp ${i + 1}`, [RETURN_FIELD]: page })));
    expect(responses.map((response) => response.status)).toEqual(Array(5).fill(303));
    expect(flashCookies(browser)).toHaveLength(5);
    for (const [i, page] of pages.entries()) {
      expect(textOf((await browser.open(page)).html, "result"), page).toBe(`Renamed to Lamp ${i + 1} (${`Lamp ${i + 1}`.length} characters)`);
    }
    for (const page of pages) expect(textOf((await browser.open(page)).html, "nothing"), page).toBe("No submission");
  });

  it("a store that fails to keep the flash: a 503 page saying the work stands, and no cookie at all", async () => {
    const kv = watchedKv({ put: new Error("KV put failed: 429 Too Many Requests") });
    const browser = new FormBrowser(serve({ routes, manifest }, { ...bindings, SESSIONS: kv.namespace }));
    const response = await browser.submit(actionUrl(upload), new FormData(), { Referer: `${ORIGIN}/outcome/upload` });
    expect(response.status).toBe(503);
    expect(response.headers.getSetCookie()).toEqual([]);
    const html = await response.text();
    expect(html).toContain("The form was handled and what it did stands, but its outcome could not be kept to show on the page (nor its session change saved): The session store is unavailable (KV write on binding &quot;SESSIONS&quot; failed)");
    expect(html).toContain('<a href="/outcome/upload">Back to the page</a>');
  });

  it("a forged flash cookie shows nothing", async () => {
    const browser = new FormBrowser(app);
    browser.cookies.set(`__Host-sortie-flash.${"A".repeat(22)}`, "/products/1");
    expect(textOf((await browser.open("/products/1")).html, "nothing")).toBe("No submission");
  });
});

beforeEach(() => {
  for (const key of Object.keys(received)) delete received[key];
});
