// Server-function references as values (issue 15, first part): an action or a query, bound or
// not, may be an island's prop or inside a function's result, and the browser gets a working
// stub. Arguments a client sends never hold one.
import { describe, expect, it } from "vitest";
import { fromJSON } from "seroval";
import { createServerReference, STUB_REFERENCES } from "../../../client/stub.ts";
import { referenceInfo, type ServerReference } from "../../../common/reference.ts";
import { ARGUMENT_PLUGINS, DISABLED_FEATURES } from "../../../common/wire.ts";
import { ISLAND_PROPS } from "../../../common/markup.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { ArgumentTypeError } from "../../../common/args.ts";
import { action } from "../../../worker/endpoint/checked-call.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { island } from "../../../worker/pages/island.ts";
import { query } from "../../../worker/queries/query.ts";
import { bodyText, development, serve, useClient } from "../endpoint/serve.ts";

const rename = action(registerServerFunction("references/rename", async (id: number, name: string) => `renamed ${id} to ${name}`));
const lookup = query(registerServerFunction("references/lookup", async (id: number) => ({ id, name: `item ${id}` })), "lookup");
registerServerFunction("references/handOut", async () => ({ rename: rename.with(7), lookup, nested: [rename] }));

const Editor = island("ReferenceEditor", (props: { save: ServerReference<(name: string) => Promise<string>>; label: string }) => <p>{props.label}</p>);
const routes = defineRoutes([{ path: "/editor", component: () => <Editor save={rename.with(3)} label="Rename" /> }]);
const app = serve({ routes, manifest: { entry: "/assets/entry.js", imports: [], css: [] } });
useClient(app);

/** An island's props as the browser reads them. */
function islandProps(html: string): Record<string, unknown> {
  const attribute = new RegExp(`${ISLAND_PROPS}="([^"]*)"`).exec(html)![1]!.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
  return fromJSON<[Record<string, unknown>]>(JSON.parse(attribute), { plugins: [...ARGUMENT_PLUGINS, STUB_REFERENCES], disabledFeatures: DISABLED_FEATURES })[0];
}

describe("references as values", () => {
  it("an action bound with .with() is an island prop; the browser's copy is a stub that calls it", async () => {
    const html = await bodyText(await app("/editor"));
    const props = islandProps(html);
    expect(props.label).toBe("Rename");
    const save = props.save as (name: string) => Promise<string>;
    expect(referenceInfo(save)).toMatchObject({ id: "references/rename", bound: [3] });
    expect(await save("Ada")).toBe("renamed 3 to Ada");
    // .with() again in the browser binds after what the server bound.
    expect(await (save as ServerReference<(name: string) => Promise<string>>).with("Grace")()).toBe("renamed 3 to Grace");
  });

  it("a result may hold references, a query's among them: stubs in the browser, the query's reading with GET", async () => {
    const result = await createServerReference<() => Promise<{ rename: (name: string) => Promise<string>; lookup: (id: number) => Promise<unknown>; nested: unknown[] }>>("references/handOut")();
    expect(await result.rename("Lin")).toBe("renamed 7 to Lin");
    expect(referenceInfo(result.lookup)).toMatchObject({ id: "references/lookup", query: { key: "lookup" } });
    expect(await result.lookup(5)).toEqual({ id: 5, name: "item 5" });
    // A query, as the browser's query() makes them: its keys, and its reads through the client cache.
    expect((result.lookup as unknown as { key: string; keyFor(id: number): string }).keyFor(5)).toBe('lookup[5]');
    expect(referenceInfo(result.nested[0])).toMatchObject({ id: "references/rename", bound: [] });
  });

  it("a client never sends one as an argument: the stub refuses, and the Worker has no reader for it", async () => {
    const stub = createServerReference<(value: unknown) => Promise<unknown>>("references/lookup");
    await expect(stub(rename)).rejects.toThrow(ArgumentTypeError);
    await expect(stub(rename)).rejects.toThrow(/A server function reference cannot be an argument/);
    const forged = await app("/_server/references%2Flookup", {
      method: "POST",
      headers: { "X-Sortie": "1", "Content-Type": "application/json", Origin: "https://app.example", "Sec-Fetch-Site": "same-origin" },
      body: JSON.stringify({ t: { t: 9, i: 0, a: [{ t: 25, i: 1, c: "sortie/reference", s: { v: { t: 10, i: 2, p: { k: ["id", "bound"], v: [{ t: 1, s: "references/rename" }, { t: 9, i: 3, a: [], o: 0 }] }, o: 0 } } }], o: 0 }, f: 0, m: [] }),
    });
    expect(forged.status).toBe(400);
  });

  it("a function that is not a server function is still refused as a prop, naming the island", async () => {
    const Bad = island("ReferenceBad", (_props: { onClick: () => void }) => <p>bad</p>);
    const bad = serve({ routes: defineRoutes([{ path: "/bad", component: () => <Bad onClick={() => {}} /> }]), manifest: { entry: "/assets/entry.js", imports: [], css: [] } }, development);
    // The island renders after the head went out (the page streams): its error takes its place.
    const response = await bad("/bad");
    expect(await response.text()).toMatch(/<p role="alert" data-sortie-error="500">island &#34;ReferenceBad&#34;: its props cannot be sent to the browser/);
  });
});
