import { env } from "cloudflare:test";
import { expect, it } from "vitest";

it("runs in workerd with a real KV binding", async () => {
  const kv = (env as unknown as { SESSIONS: KVNamespace }).SESSIONS;
  await kv.put("k", "v");
  expect(await kv.get("k")).toBe("v");
});
