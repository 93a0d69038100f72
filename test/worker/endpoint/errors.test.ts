import { afterEach, describe, expect, it, vi } from "vitest";
import { createServerReference } from "../../../client/stub.ts";
import { HttpError, ServerError } from "../../../common/errors.ts";
import { getRequestEvent } from "../../../worker/request/context.ts";
import { cookies } from "../../../worker/request/cookies.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { bodyText, development, production, serve, useClient } from "./serve.ts";

class StoreDownError extends HttpError {
  constructor() {
    super("KV namespace SESSIONS is unreachable", { status: 503 });
  }
}

registerServerFunction("errors/deliberate", async () => {
  throw new ServerError("Title is required", { status: 422, data: { field: "title", at: new Date(0), seen: new Set([1]) } });
});
registerServerFunction("errors/unexpected", async () => {
  throw new TypeError("db.prepare is not a function (secret detail)");
});
registerServerFunction("errors/store-down", async () => {
  throw new StoreDownError();
});
registerServerFunction("errors/no-content", async () => {
  throw new ServerError("Nothing to see", { status: 204 });
});
registerServerFunction("errors/thrown-string", async () => {
  throw "a bare string";
});
registerServerFunction("errors/nested", async () => ({ ok: true, later: Promise.reject(new Error("nested secret")) }));
registerServerFunction("errors/unsendable", async () => ({ callback: () => "functions cannot travel" }));
registerServerFunction("errors/failing-hook", async () => {
  cookies().set("flash", "saved");
  getRequestEvent().beforeResponse(() => {
    throw new StoreDownError();
  });
  return "written";
});

registerServerFunction("errors/hook-with-context", async () => {
  getRequestEvent().beforeResponse(() => {
    // A hook runs inside the request's context, like the function that registered it.
    cookies().set("committed", getRequestEvent().url.pathname.split("/").pop()!);
  });
  return "written";
});

/** A stub's POST with no arguments, sent by hand to read the raw response. */
const NO_ARGUMENT_CALL = {
  method: "POST",
  headers: { "X-Sortie": "1", "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" },
  body: JSON.stringify({ t: { t: 9, i: 0, a: [], o: 0 }, f: 0, m: [] }),
};

const call = <T = unknown>(id: string) => createServerReference<() => Promise<T>>(id);

async function rejection(promise: Promise<unknown>): Promise<ServerError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ServerError);
  return error as ServerError;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("errors in production", () => {
  const fetch = serve({}, production);
  useClient(fetch);

  it("passes a deliberate ServerError through with message, status and data", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const error = await rejection(call("errors/deliberate")());
    expect(error.message).toBe("Title is required");
    expect(error.status).toBe(422);
    expect(error.data).toEqual({ field: "title", at: new Date(0), seen: new Set([1]) });
    expect(error.errorId).toBeUndefined();
    expect(log).not.toHaveBeenCalled();
    const response = await fetch("/_server/errors%2Fdeliberate", NO_ARGUMENT_CALL);
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/x-sortie-stream");
  });

  it("hides an unexpected error behind an id and logs it in full under that id", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const error = await rejection(call("errors/unexpected")());
    expect(error.message).toBe("Internal Server Error");
    expect(error.status).toBe(500);
    expect(error.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.stack ?? "").not.toContain("secret detail");
    expect(JSON.stringify(error.data ?? null)).not.toContain("secret");
    expect(log).toHaveBeenCalledTimes(1);
    const [line, logged] = log.mock.calls[0]!;
    expect(line).toContain(error.errorId);
    expect(line).toContain("errors/unexpected");
    expect((logged as Error).message).toBe("db.prepare is not a function (secret detail)");
  });

  it("keeps the status of an HttpError but hides its message unless exposed", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const error = await rejection(call("errors/store-down")());
    expect(error.status).toBe(503);
    expect(error.message).toBe("Internal Server Error");
    expect(error.errorId).toBeDefined();
  });

  it("hides a thrown non-Error value too", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const error = await rejection(call("errors/thrown-string")());
    expect(error.message).toBe("Internal Server Error");
    expect(log.mock.calls[0]![1]).toBe("a bare string");
  });

  it("hides an error inside a streamed promise the same way", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await call<{ ok: boolean; later: Promise<unknown> }>("errors/nested")();
    expect(result.ok).toBe(true);
    const error = await rejection(result.later);
    expect(error.message).toBe("Internal Server Error");
    expect(log.mock.calls[0]![0]).toContain(error.errorId);
  });

  it("answers a result that cannot travel with a logged 500, not a broken stream", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const error = await rejection(call("errors/unsendable")());
    expect(error.status).toBe(500);
    expect(error.message).toBe("Internal Server Error");
    expect(String((log.mock.calls[0]![1] as Error).message)).toContain("cannot be sent to the client");
  });

  it("runs beforeResponse hooks inside the request's context (cookies() and getRequestEvent() work there)", async () => {
    const response = await fetch("/_server/errors%2Fhook-with-context", NO_ARGUMENT_CALL);
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toContain("committed=errors%252Fhook-with-context");
  });

  it("turns a failing beforeResponse hook into the error response and sends no cookie", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await fetch("/_server/errors%2Ffailing-hook", NO_ARGUMENT_CALL);
    expect(response.status).toBe(503);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await bodyText(response)).not.toContain("written");
  });
});

describe("errors in development (SORTIE_ENV=development)", () => {
  useClient(serve({}, development));

  it("shows the message and the server's stack", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const error = await rejection(call("errors/unexpected")());
    expect(error.message).toBe("db.prepare is not a function (secret detail)");
    expect(error.status).toBe(500);
    expect(error.stack).toContain("TypeError: db.prepare is not a function");
    expect(error.errorId).toBeDefined();
  });

  it("shows why a ServerError with a status outside 400–599 failed, instead of a bare 500", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const error = await rejection(call("errors/no-content")());
    expect(error.status).toBe(500);
    expect(error.message).toMatch(/status must be an integer from 400 to 599 \(got 204\)/);
    expect(log).toHaveBeenCalledTimes(1);
  });

  it("shows a deliberate error's stack too", async () => {
    const error = await rejection(call("errors/deliberate")());
    expect(error.stack).toContain("Title is required");
  });
});

describe("error statuses outside 400–599", () => {
  it("are refused by the HttpError and ServerError constructors, with what to use instead", () => {
    for (const status of [204, 302, 999, 0, 450.5, Number.NaN]) {
      expect(() => new ServerError("x", { status })).toThrow(new RangeError(`An error's status must be an integer from 400 to 599 (got ${status})`));
      expect(() => new HttpError("x", { status })).toThrow(RangeError);
    }
    expect([new ServerError("x", { status: 400 }).status, new HttpError("x", { status: 599 }).status]).toEqual([400, 599]);
  });
});

describe("a misconfigured SORTIE_ENV", () => {
  it("fails loudly: a 500 and a log line naming the variable", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const fetch = serve({}, { ...production, SORTIE_ENV: "prod" });
    const response = await fetch("/_server/errors%2Fdeliberate", NO_ARGUMENT_CALL);
    expect(response.status).toBe(500);
    expect(String(log.mock.calls.flat().map((value) => (value as Error)?.message ?? value))).toContain("SORTIE_ENV");
  });
});
