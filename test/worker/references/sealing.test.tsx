// Sealed references (issue 15): with sealBoundArguments, the arguments bound with .with(…)
// leave the Worker sealed — in a form's URL, an island's props, a result — and come back
// opened; a tampered, truncated or foreign seal is a 400, and one sealed under a key rotated
// out is a 400 that says to reload. The browser never sees the values.
import { describe, expect, it } from "vitest";
import { fromJSON } from "seroval";
import { createServerReference, STUB_REFERENCES } from "../../../client/stub.ts";
import { ARGUMENT_PLUGINS, DISABLED_FEATURES } from "../../../common/wire.ts";
import { ISLAND_PROPS } from "../../../common/markup.ts";
import { referenceInfo, type ServerReference } from "../../../common/reference.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { RETURN_FIELD, SEALED_BINDING, SUBMISSION_DATA_ID } from "../../../common/forms.ts";
import { ServerError } from "../../../common/errors.ts";
import { closureOf, registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { island } from "../../../worker/pages/island.ts";
import { useSubmission } from "../../../worker/forms/submission.ts";
import { FormBrowser, textOf } from "../forms/browser.ts";
import { bodyText, ORIGIN, serve, useClient } from "../endpoint/serve.ts";

const SECRET_VALUE = "account-7f3a9c";
const NEW = "new-password-0123456789-abcdefghijklmnop";
const OLD = "old-password-0123456789-abcdefghijklmnop";

const transfer = registerServerFunction("sealing/transfer", async (account: string, form: FormData) => `moved ${String(form.get("amount"))} from ${account}`);
const other = registerServerFunction("sealing/other", async (account: string) => `other ${account}`);
registerServerFunction("sealing/handOut", async () => ({ move: transfer.with(SECRET_VALUE) }));

const Wallet = island("SealedWallet", (props: { move: ServerReference<(form: FormData) => Promise<string>> }) => <form method="post" action={props.move}><button>Move</button></form>);
// What the build writes for a closure (build/transform/worker.ts): the captured values first, bound where it is rendered.
const note = registerServerFunction("sealing/note", async (owner: string, form: FormData) => {
  if (!form.get("text")) throw new ServerError("Say something");
  // The owner is used, not returned: what a function returns is its own to show.
  return `noted ${String(form.get("text"))} for ${owner.length}`;
}, 1);
const CAPTURED = "captured-owner-5e1d";

const routes = defineRoutes([
  { path: "/closure", component: () => <form method="post" action={closureOf(note, [CAPTURED], "test:1:1")}><input name="text" /></form> },
  { path: "/closure-island", component: () => <Wallet move={closureOf(note, [CAPTURED], "test:1:1") as never} /> },
  {
    path: "/wallet",
    component: () => (
      <>
        <form method="post" action={transfer.with(SECRET_VALUE)}>
          <input name="amount" />
          <button formAction={other.with(SECRET_VALUE)}>Other</button>
        </form>
        <p id="result">{String(useSubmission(transfer.with(SECRET_VALUE))?.result ?? useSubmission(transfer.with(SECRET_VALUE))?.error?.message ?? "none")}</p>
      </>
    ),
  },
  { path: "/island", component: () => <Wallet move={transfer.with(SECRET_VALUE)} /> },
]);
const manifest = { entry: "/assets/entry.js", imports: [], css: [] };
const app = (passwords: string[]) => serve({ routes, manifest, sealBoundArguments: true, session: { password: passwords } });
const current = app([NEW, OLD]);
useClient(current);

/** Every form action and formaction of a page, as the browser reads them. */
function actions(html: string): string[] {
  return [...html.matchAll(/(?:action|formaction)="([^"]+)"/g)].map((match) => match[1]!.replaceAll("&amp;", "&"));
}

function swapLetter(token: string): string {
  const at = token.length - 5;
  return token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
}

describe("a closure's captured values", () => {
  it("are sealed even without sealBoundArguments, in a form's URL and an island's props; the Worker opens them", async () => {
    const plain = serve({ routes, manifest, session: { password: [NEW] } });
    for (const path of ["/closure", "/closure-island"]) {
      const html = await bodyText(await plain(path));
      expect(html).not.toContain(CAPTURED);
      expect(html).toMatch(/sealed=v1\./);
    }
    const [action] = actions(await bodyText(await plain("/closure")));
    const browser = new FormBrowser(plain);
    expect((await browser.submit(action!, { text: "hello", [RETURN_FIELD]: "/closure" })).status).toBe(303);
    // Called by id without them: refused, the function does not run.
    const bare = await plain("/_server/sealing%2Fnote", {
      method: "POST",
      headers: { "X-Sortie": "1", "Content-Type": "application/json", Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" },
      body: JSON.stringify({ t: { t: 9, i: 0, a: [{ t: 1, s: "forged owner" }], o: 0 }, f: 0, m: [] }),
    });
    expect([bare.status, bare.headers.get("X-Sortie-Error")]).toEqual([400, "bad-seal"]);
  });

  it("a post without JavaScript keeps them on the Worker: the page it returns to embeds its flash without them", async () => {
    const plain = serve({ routes, manifest, session: { password: [NEW] } });
    const [action] = actions(await bodyText(await plain("/closure")));
    const browser = new FormBrowser(plain);
    for (const text of ["", "hello"]) {
      expect((await browser.submit(action!, { text, [RETURN_FIELD]: "/closure" })).status).toBe(303);
      const { html } = await browser.open("/closure");
      expect(html).toContain(`id="${SUBMISSION_DATA_ID}"`);
      expect(html).toContain(JSON.stringify(SEALED_BINDING));
      expect(html).not.toContain(CAPTURED);
    }
  });

  it("a captured value that cannot travel fails where the component renders, naming the place", () => {
    expect(() => closureOf(note, [() => 1], "app/page.tsx:3:9 (Page.note, capturing owner)")).toThrow(/^app\/page\.tsx:3:9 \(Page\.note, capturing owner\): a captured value cannot travel with the function/);
  });
});

describe("sealed bound arguments", () => {
  it("leave the Worker sealed in a form's action and a button's formaction: the value is nowhere in the page", async () => {
    const html = await bodyText(await current("/wallet"));
    const [action, formaction] = actions(html);
    expect(action).toMatch(/^\/_server\/sealing%2Ftransfer\?sealed=v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(formaction).toMatch(/^\/_server\/sealing%2Fother\?sealed=v1\./);
    expect(html).not.toContain(SECRET_VALUE);
    expect(html).not.toContain("sealed=~");
  });

  it("a form post opens them: the function gets the value, the 303's page shows its result", async () => {
    const browser = new FormBrowser(current);
    const [action] = actions(await bodyText(await current("/wallet")));
    const posted = await browser.submit(action!, { amount: "5", [RETURN_FIELD]: "/wallet" });
    expect(posted.status).toBe(303);
    expect(textOf((await browser.open("/wallet")).html, "result")).toBe(`moved 5 from ${SECRET_VALUE}`);
  });

  it("a tampered, truncated or foreign seal is a 400 and nothing runs; without JavaScript, a page saying so", async () => {
    const [action, formaction] = actions(await bodyText(await current("/wallet")));
    const token = new URL(action!, ORIGIN).searchParams.get("sealed")!;
    const foreign = new URL(formaction!, ORIGIN).searchParams.get("sealed")!;
    const attempts = [
      `/_server/sealing%2Ftransfer?sealed=${encodeURIComponent(swapLetter(token))}`,
      `/_server/sealing%2Ftransfer?sealed=${encodeURIComponent(token.slice(0, -8))}`,
      `/_server/sealing%2Ftransfer?sealed=${encodeURIComponent(foreign)}`,
      `/_server/sealing%2Ftransfer?sealed=~0`,
    ];
    for (const url of attempts) {
      const stub = await current(url, {
        method: "POST",
        headers: { "X-Sortie": "1", "Content-Type": "application/json", Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" },
        body: JSON.stringify({ t: { t: 9, i: 0, a: [], o: 0 }, f: 0, m: [] }),
      });
      expect([url, stub.status, stub.headers.get("X-Sortie-Error")]).toEqual([url, 400, "bad-seal"]);
      const form = await new FormBrowser(current).submit(url, { amount: "1" });
      expect(form.status).toBe(400);
      expect(form.headers.get("Content-Type")).toContain("text/html");
    }
  });

  it("rotation: sealed under an older password still opens while it is listed; once removed, a 400 that says to reload", async () => {
    const before = app([OLD]);
    const [action] = actions(await bodyText(await before("/wallet")));
    expect((await new FormBrowser(app([NEW, OLD])).submit(action!, { amount: "2", [RETURN_FIELD]: "/wallet" })).status).toBe(303);
    const refused = await new FormBrowser(app([NEW])).submit(action!, { amount: "3", [RETURN_FIELD]: "/wallet" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/reload the page/);
  });

  it("an island's prop carries the seal, not the value; the browser's stub calls through it", async () => {
    const html = await bodyText(await current("/island"));
    expect(html).not.toContain(SECRET_VALUE);
    const attribute = new RegExp(`${ISLAND_PROPS}="([^"]*)"`).exec(html)![1]!.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
    const [props] = fromJSON<[{ move: (form: FormData) => Promise<string> }]>(JSON.parse(attribute), { plugins: [...ARGUMENT_PLUGINS, STUB_REFERENCES], disabledFeatures: DISABLED_FEATURES });
    expect(referenceInfo(props.move)).toMatchObject({ id: "sealing/transfer", bound: [], sealed: expect.stringMatching(/^v1\./) });
    const form = new FormData();
    form.set("amount", "9");
    expect(await props.move(form)).toBe(`moved 9 from ${SECRET_VALUE}`);
    // The island's own server-rendered form got its action sealed too.
    expect(actions(html)[0]).toMatch(/sealed=v1\./);
  });

  it("a result carries the seal too, and calling by id without it is refused when a seal is needed", async () => {
    const result = await createServerReference<() => Promise<{ move: (form: FormData) => Promise<string> }>>("sealing/handOut")();
    expect(referenceInfo(result.move)?.sealed).toMatch(/^v1\./);
    const form = new FormData();
    form.set("amount", "4");
    expect(await result.move(form)).toBe(`moved 4 from ${SECRET_VALUE}`);
  });
});
