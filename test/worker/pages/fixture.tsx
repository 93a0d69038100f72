// A small app for the page tests: a preloaded query, a layout, an island, QueryValue, and
// pages that use the request context, redirect, fail or set their own status, streamed or whole.
import type { Child } from "hono/jsx";
import { ServerError } from "../../../common/errors.ts";
import { defineRoutes } from "../../../common/routes.ts";
import { getRequestEvent } from "../../../worker/request/context.ts";
import { cookies } from "../../../worker/request/cookies.ts";
import { island } from "../../../worker/pages/island.ts";
import { query, useQuery } from "../../../worker/queries/query.ts";
import { QueryValue } from "../../../worker/queries/query-value.ts";
import { redirect } from "../../../worker/request/redirect.ts";
import { registerServerFunction } from "../../../worker/endpoint/registry.ts";
import { useSession } from "../../../worker/session/session.ts";

export const HOSTILE_NAME = "</script><script>alert(1)</script><!--";

const items: Record<string, { name: string; tags: string[] }> = {
  "1": { name: "Lamp", tags: ["light"] },
  evil: { name: HOSTILE_NAME, tags: [] },
};

export const calls = { item: 0 };

export const getItem = query(
  registerServerFunction("pages/getItem", async (id: string) => {
    calls.item++;
    return items[id] ?? null;
  }),
  "item",
);

function LikeButton({ id, likes }: { id: string; likes: number }) {
  const item = useQuery(getItem, id);
  return (
    <button type="button">
      {item?.name ?? "…"}: {likes} likes
    </button>
  );
}
export const Like = island("Like", LikeButton);

export function Layout({ children }: { children: Child }) {
  return (
    <div id="layout">
      <nav>Shop</nav>
      {children}
    </div>
  );
}

async function ItemPage({ params }: { params: { id: string } }) {
  const item = await getItem(params.id);
  if (!item) throw new ServerError(`No item ${params.id}`, { status: 404 });
  return (
    <article>
      <h1>{item.name}</h1>
      <p>
        Now called <QueryValue query={getItem} args={[params.id]} select="name" />
      </p>
      <Like id={params.id} likes={3} />
    </article>
  );
}

export const routes = defineRoutes([
  {
    path: "/items/:id",
    title: ({ params }) => `Item ${params.id}`,
    preload: ({ params }) => getItem(params.id),
    component: ItemPage,
  },
  // The same page sent whole: an error after its await still sets the status.
  { path: "/whole/items/:id", stream: false, preload: ({ params }) => getItem(params.id), component: ItemPage },
  {
    path: "/visitor",
    title: "Visitor",
    // It changes the session and a cookie after an await: only a page sent whole can.
    stream: false,
    component: async () => {
      const session = await useSession<{ visits?: number }>();
      session.update((data) => ({ visits: (data.visits ?? 0) + 1 }));
      cookies().set("seen", "yes");
      return (
        <p>
          theme {cookies().get("theme") ?? "none"}, visit {session.data.visits}
        </p>
      );
    },
  },
  {
    path: "/go",
    component: () => {
      throw redirect("/items/1");
    },
  },
  {
    path: "/boom",
    component: () => {
      throw new Error("secret boom");
    },
  },
  {
    path: "/gone",
    component: () => {
      getRequestEvent().response.status = 410;
      return <p>This item is gone.</p>;
    },
  },
  { path: "/files/*path", title: ({ params }) => params.path, component: ({ params }) => <p>file {params.path}</p> },
]);

export const manifest = { entry: "/assets/entry-abc123.js", imports: ["/assets/chunk-def456.js"], css: ["/assets/app-789.css"] };
