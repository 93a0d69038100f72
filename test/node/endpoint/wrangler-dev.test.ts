// What only real clients over `wrangler dev` show (the app built with the real build).
//
// Does workerd fire `request.signal` (RequestEvent.signal) when a real client goes away? The
// in-process test (test/worker/endpoint/context.test.ts) hands the client's own signal to the
// Request, which cannot tell. Here the app is built with the real build and served by
// `wrangler dev` (enable_request_signal from wrangler.toml); Node calls a function whose
// result streams, reads two chunks, aborts, and a second call reads what the first recorded
// in KV. Only a streaming answer is tested: local workerd notices the closed connection when
// it next writes to it, so a function still waiting before its response starts is never told
// (docs/server-functions.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServerReference, setTransport } from "../../../client/stub.ts";
import { withSignal } from "../../../common/abort.ts";
import { startDevServer, type DevServer } from "../e2e/dev-server.ts";
import { buildProject, type BuiltProject } from "../queries/project.ts";

let project: BuiltProject | undefined;
let server: DevServer | undefined;

beforeAll(async () => {
  project = await buildProject({ workerEntry: "test/node/endpoint/app/worker.ts", clientEntry: "test/node/endpoint/app/client.ts" });
  server = await startDevServer({ root: project.root, mode: "production" });
  setTransport((path, init) => {
    const headers = new Headers(init.headers);
    headers.set("Origin", server!.url);
    return fetch(new URL(path, server!.url), { ...init, headers });
  });
});

afterAll(async () => {
  await server?.stop();
  await project?.remove();
});

describe("a real client disconnect under wrangler dev", () => {
  it("fires event.signal of a function whose answer is still streaming", async () => {
    const stream = createServerReference<(key: string) => Promise<{ ticks: ReadableStream<number> }>>(project!.idOf("streamUntilDisconnect"));
    const record = createServerReference<(key: string) => Promise<string | null>>(project!.idOf("disconnectRecord"));
    const key = crypto.randomUUID();
    const controller = new AbortController();
    const { ticks } = await withSignal(stream, controller.signal)(key);
    const reader = ticks.getReader();
    expect([(await reader.read()).value, (await reader.read()).value]).toEqual([0, 1]);
    expect(await record(key)).toBe("streaming");

    controller.abort(new Error("the user left"));
    await expect(reader.read()).rejects.toThrow("the user left");
    let seen = await record(key);
    for (let tries = 0; seen === "streaming" && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await record(key);
    }
    expect(seen, server!.output()).toBe("aborted");
  });
});

describe("refusals reach a real client that is still sending its body", () => {
  // Answered before the body was read, these came back as resets or wrangler's 500 "Network
  // connection lost"; the endpoint now reads and drops the rest of the body first.
  const send = async (path: string, bytes: number) => {
    try {
      const response = await fetch(new URL(path, server!.url), {
        method: "POST",
        headers: { "X-Sortie": "1", "Content-Type": "application/json", Origin: server!.url },
        body: "x".repeat(bytes),
      });
      await response.arrayBuffer();
      return String(response.status);
    } catch (error) {
      return `failed: ${(error as { cause?: { code?: string } }).cause?.code ?? String(error)}`;
    }
  };

  it("a body over maxBodySize gets its 413, every time, whatever its size", async () => {
    const id = project!.idOf("disconnectRecord");
    const answers: string[] = [];
    for (const bytes of [1_500_000, 2_500_000, 20_000_000]) for (let i = 0; i < 4; i++) answers.push(await send(`/_server/${id}`, bytes));
    expect(answers).toEqual(Array(12).fill("413"));
  });

  it("a POST to an unknown id gets its 404 with a large body too", async () => {
    const answers: string[] = [];
    for (let i = 0; i < 4; i++) answers.push(await send("/_server/no-such-function", 3_000_000));
    expect(answers).toEqual(Array(4).fill("404"));
  });
});
