// The Worker the endpoint benchmark runs: one trivial server function through Sortie's full
// stack, and a hand-written Hono route doing the same work with plain JSON beside it. A third
// route is that Hono route plus the two guards every Sortie call must pass (the origin check
// and the body's size limit and deadline, issue 11), with Sortie's own code: how much of the
// gap between the other two those guards are.
import { createSortie } from "../../worker/app.ts";
import { registerServerFunction } from "../../worker/endpoint/registry.ts";
import { checkOrigin } from "../../worker/endpoint/origin.ts";
import { readBodyText } from "../../worker/endpoint/body.ts";
import { resolveOptions } from "../../worker/options.ts";

// An id shaped like the build's (`<name>_<hash>`).
registerServerFunction("add_5f0c2a9e1d", async (a: number, b: number) => a + b);

const app = createSortie();
app.post("/plain/add", async (c) => {
  const { a, b } = await c.req.json<{ a: number; b: number }>();
  return c.json(a + b);
});

// The defaults createSortie() runs with: the same origin rules, size limit and deadline.
const guards = resolveOptions({});
app.post("/guarded/add", async (c) => {
  checkOrigin(c.req.raw, guards, false);
  const { a, b } = JSON.parse(await readBodyText(c.req.raw, guards)) as { a: number; b: number };
  return c.json(a + b);
});

export default app;
