// The app in workerd (wrangler's local runtime with local KV), started from wrangler.toml,
// which runs `sortie build` first. Forms are posted as a browser without JavaScript would.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { unstable_startWorker } from "wrangler";

const ORIGIN = "http://localhost";
let worker: Awaited<ReturnType<typeof unstable_startWorker>>;

before(async () => {
  worker = await unstable_startWorker({
    config: "wrangler.toml",
    bindings: { SESSION_SECRET: { type: "secret_text", value: "a-test-secret-of-at-least-32-characters" } },
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, persist: false },
  });
});
after(() => worker?.dispose());

async function page(cookie = ""): Promise<string> {
  const response = await worker.fetch(`${ORIGIN}/`, { headers: { cookie } });
  assert.equal(response.status, 200);
  return response.text();
}

/** Posts the form whose button says `label`, as a browser without JavaScript: 303 back to "/". */
async function vote(label: string): Promise<string> {
  const html = await page();
  const form = html.split("<form").find((markup) => markup.includes(`>${label}</button>`));
  const action = form?.match(/action="([^"]+)"/)?.[1];
  assert.ok(action, `a form with a "${label}" button`);
  const body = new URLSearchParams({ $return: "/" });
  const response = await worker.fetch(`${ORIGIN}${action.replaceAll("&amp;", "&")}`, {
    method: "POST",
    body,
    headers: { origin: ORIGIN },
    redirect: "manual",
  });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), "/");
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}

const count = (html: string, choice: string) => html.match(new RegExp(`data-testid="votes-${choice}"><span[^>]*>(\\d+)<`))?.[1];

test("a vote posted without JavaScript counts", async () => {
  const before = Number(count(await page(), "tabs"));
  await vote("Vote tabs");
  assert.equal(Number(count(await page(), "tabs")), before + 1);
});

test("the deliberate error reaches the page", async () => {
  const cookie = await vote("Vote COBOL");
  assert.match(await page(cookie), /&quot;cobol&quot; is not on the ballot|"cobol" is not on the ballot/);
});
