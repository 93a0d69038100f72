// The Worker the endpoint benchmark runs: one trivial server function through Sortie's full
// stack, and a hand-written Hono route doing the same work with plain JSON beside it.
import { createSortie } from "../../worker/app.ts";
import { registerServerFunction } from "../../worker/endpoint/registry.ts";

// An id shaped like the build's (`<name>_<hash>`).
registerServerFunction("add_5f0c2a9e1d", async (a: number, b: number) => a + b);

const app = createSortie();
app.post("/plain/add", async (c) => {
  const { a, b } = await c.req.json<{ a: number; b: number }>();
  return c.json(a + b);
});

export default app;
