// The cache API `sortie/client` exports for code outside islands (peek, subscribe), against
// the real stub, client cache and single-flight records.
import { afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { applyQueryRecords } from "../../../client/cache.ts";
import { peek, subscribe } from "../../../client/subscribe.ts";
import { ServerError } from "../../../common/errors.ts";
import { serve, useClient } from "../endpoint/serve.ts";
import { leave, visit } from "./browser.ts";
import { client, getBroken, manifest, resetProducts, routes } from "./fixture.ts";

useClient(serve({ routes, manifest }));

beforeAll(() => applyQueryRecords());
beforeEach(() => resetProducts());
afterEach(() => leave());

it("peek shows what a read left in the cache, and never reads itself", async () => {
  expect(peek(client.getProduct, "3")).toBeUndefined();
  expect(peek(client.getProduct, "3")).toBeUndefined();
  await client.getProduct("3");
  expect(peek(client.getProduct, "3")).toEqual({ ok: true, value: { id: "3", name: "Desk" } });
});

it("subscribe hears each write to the entry, a single-flight record included, until unsubscribed", async () => {
  visit("/products/1");
  const heard: unknown[] = [];
  const unsubscribe = subscribe(client.getProduct, ["1"], (entry) => heard.push(entry));
  await client.rename("1", "Brass lamp");
  await expect.poll(() => heard).toEqual([{ ok: true, value: { id: "1", name: "Brass lamp" } }]);
  expect(peek(client.getProduct, "1")).toEqual(heard[0]);

  unsubscribe();
  await client.rename("1", "Desk lamp");
  await expect.poll(() => peek(client.getProduct, "1")).toEqual({ ok: true, value: { id: "1", name: "Desk lamp" } });
  expect(heard).toHaveLength(1);
});

it("an entry whose read failed comes with its error", async () => {
  visit("/broken/3");
  const heard: unknown[] = [];
  // The server's query works for the key too: both sides key entries with the same function.
  subscribe(getBroken, [], (entry) => heard.push(entry));
  await client.rename("3", "Standing desk");
  await expect.poll(() => heard).toEqual([{ ok: false, error: expect.any(ServerError) }]);
});
