// Server functions the session tests call through the real endpoint.
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { useSession, type SessionData, type SessionOptions } from "../../../worker/session/session.ts";

export interface Snapshot {
  id: string;
  data: SessionData;
}

async function snapshot(options?: SessionOptions): Promise<Snapshot> {
  const session = await useSession(options);
  return { id: session.id, data: session.data };
}

registerServerFunction("session/untouched", async () => "no session used");

registerServerFunction("session/read", async (options?: SessionOptions) => snapshot(options));

registerServerFunction("session/update", async (patch: SessionData, options?: SessionOptions) => {
  (await useSession(options)).update(patch);
  return snapshot(options);
});

registerServerFunction("session/count", async () => {
  const session = await useSession<{ count?: number }>();
  session.update((data) => ({ count: (data.count ?? 0) + 1 }));
  return session.data.count;
});

registerServerFunction("session/set-in-place", async (key: string, value: unknown) => {
  const session = await useSession();
  session.data[key] = value;
  return snapshot();
});

export interface Retired {
  before: string;
  after: string;
  data: SessionData;
}

/** Calls clear() or regenerate(), then applies `patch` if any; reports the ids around it. */
async function retire(method: "clear" | "regenerate", patch?: SessionData): Promise<Retired> {
  const session = await useSession();
  const before = session.id;
  session[method]();
  if (patch) session.update(patch);
  return { before, after: session.id, data: session.data };
}

registerServerFunction("session/clear", () => retire("clear"));
registerServerFunction("session/regenerate", () => retire("regenerate"));
registerServerFunction("session/sign-in", (user: string) => retire("regenerate", { user }));
registerServerFunction("session/clear-then-flash", (message: string) => retire("clear", { flash: message }));




/** Later code in the same request (a nested call, a second useSession) sees the change at once. */
registerServerFunction("session/update-then-reread", async (patch: SessionData) => {
  const first = await useSession();
  first.update(patch);
  const second = await useSession();
  const nested = await snapshot();
  return { same: first === second, nested: nested.data };
});

/** Fills the session with `bytes` of JSON (made here: request bodies are limited to 1 MB). */
registerServerFunction("session/fill", async (bytes: number) => {
  const session = await useSession();
  const overhead = JSON.stringify({ ...session.data, blob: "" }).length;
  session.update({ blob: "x".repeat(bytes - overhead) });
  return JSON.stringify(session.data).length;
});

registerServerFunction("session/blob-size", async () => {
  const { blob } = (await useSession<{ blob?: string }>()).data;
  return blob?.length;
});

registerServerFunction("session/conflicting-options", async () => {
  await useSession();
  await useSession({ maxAge: 60 });
});
