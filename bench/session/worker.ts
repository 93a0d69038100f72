// The Worker the session benchmark loads: the real Sortie endpoint with three server functions.
import { createSortie } from "../../worker/app.ts";
import { registerServerFunction } from "../../worker/endpoint/registry.ts";
import { useSession } from "../../worker/session/session.ts";

/** The baseline: the same request path, no session. */
registerServerFunction("bench/plain", async () => "ada");

/** Reads the session: unseal the cookie, one KV read. */
registerServerFunction("bench/session", async () => {
  const session = await useSession<{ user?: string }>();
  return session.data.user;
});

/** Creates the session the benchmark then reads. */
registerServerFunction("bench/sign-in", async () => {
  (await useSession()).update({ user: "ada", roles: ["reader"], since: Date.now() });
  return "signed in";
});

export default createSortie();
