import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A synthetic app for the build benchmark: 502 modules, 2,000 server functions.
 * - lib/api.ts, lib/db.server.ts: stand-ins for `query`/`action` and a database client
 * - lib/util-N.ts (50): plain helpers, no directive, importing each other
 * - actions/actions-N.ts (150): file-level "use server", 6 functions each (declarations,
 *   const arrows, one also exported under a second name)
 * - pages/page-N.tsx (200): components with function-level directives: two
 *   `query(async () => { "use server" })`, an exported declaration, a nested `action(...)` and
 *   an inline JSX form action; they import actions modules and utils
 * - server/server-N.ts (100): one function-level server function each
 * - worker.ts / client.ts: entries importing everything, and Sortie's runtime (the Worker's
 *   registry, the browser's stubs), which a real app always bundles: with it in both, the
 *   benchmark's two builds differ only by the transform
 */
const SHAPE = { utils: 50, actions: 150, pages: 200, servers: 100 };

/** Writes the app into `root`; `sortie` is Sortie's folder. Returns how many modules it wrote. */
export function generateApp(root: string, sortie: string): number {
  const { utils, actions, pages, servers } = SHAPE;
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  write(
    "lib/api.ts",
    `export function query<F extends (...args: any[]) => Promise<unknown>>(fn: F, _key: string): F { return fn; }
export function action<F extends (...args: any[]) => Promise<unknown>>(fn: F): F { return fn; }
`,
  );
  write(
    "lib/db.server.ts",
    `const rows = new Map<string, unknown>();
export const db = {
  async get(key: string): Promise<unknown> { return rows.get(key); },
  async put(key: string, value: unknown): Promise<void> { rows.set(key, value); },
};
`,
  );
  for (let index = 0; index < utils; index++) {
    const previous = index > 0 ? `import { format${index - 1} } from "./util-${index - 1}.ts";\n` : "";
    const body = index > 0 ? `format${index - 1}(value).toUpperCase()` : "value.trim()";
    write(
      `lib/util-${index}.ts`,
      `${previous}/** Formats a value (helper ${index}). */
export function format${index}(value: string): string {
  return ${body} + ${JSON.stringify(`-${index}`)};
}
export const LIMIT_${index} = ${index * 10};
`,
    );
  }
  for (let index = 0; index < actions; index++) {
    const util = index % utils;
    write(
      `actions/actions-${index}.ts`,
      `"use server";
import { db } from "../lib/db.server.ts";
import { format${util} } from "../lib/util-${util}.ts";

export interface Item${index} { id: string; name: string; count: number }

const SECRET_${index} = ${JSON.stringify(`secret-${index}`)};

export async function getItem${index}(id: string): Promise<Item${index} | undefined> {
  return (await db.get(\`item-${index}-\${id}\`)) as Item${index} | undefined;
}

export async function listItems${index}(limit: number): Promise<Item${index}[]> {
  const items: Item${index}[] = [];
  for (let i = 0; i < limit; i++) items.push({ id: String(i), name: format${util}(String(i)), count: i });
  return items;
}

export const saveItem${index} = async (item: Item${index}): Promise<void> => {
  await db.put(\`item-${index}-\${item.id}\`, { ...item, signature: SECRET_${index} });
};

export const countItems${index} = async (): Promise<number> => {
  return (await listItems${index}(10)).length;
};

export async function archiveItem${index}(id: string): Promise<void> {
  await db.put(\`archived-${index}-\${id}\`, true);
}

async function removeItem${index}(id: string): Promise<boolean> {
  await db.put(\`item-${index}-\${id}\`, undefined);
  return true;
}

export { removeItem${index} as deleteItem${index}, removeItem${index} };
`,
    );
  }
  for (let index = 0; index < pages; index++) {
    const first = index % actions;
    const second = (index * 7 + 3) % actions;
    const util = (index * 3) % utils;
    write(
      `pages/page-${index}.tsx`,
      `import { action, query } from "../lib/api.ts";
import { db } from "../lib/db.server.ts";
import { format${util}, LIMIT_${util} } from "../lib/util-${util}.ts";
import { getItem${first}, saveItem${first} } from "../actions/actions-${first}.ts";
import { countItems${second} } from "../actions/actions-${second}.ts";

export const getTitle${index} = query(async (id: string) => {
  "use server";
  return \`page ${index} \${id} \${String(await db.get(id))}\`;
}, "title-${index}");

export const getStats${index} = query(async () => {
  "use server";
  return { count: await countItems${second}(), limit: LIMIT_${util} };
}, "stats-${index}");

export async function publish${index}(id: string): Promise<string> {
  "use server";
  const item = await getItem${first}(id);
  await db.put(\`published-${index}-\${id}\`, item);
  return "published";
}

export function Page${index}({ id, title }: { id: string; title: string }) {
  const rename = action(async (itemId: string, data: FormData) => {
    "use server";
    await saveItem${first}({ id: itemId, name: String(data.get("name")), count: 0 });
  });
  return (
    <section>
      <h1>{format${util}(title)}</h1>
      <form action={rename.bind(null, id)}>
        <input name="name" />
        <button>Rename</button>
      </form>
      <form
        action={async () => {
          "use server";
          await db.put("visited-${index}", Date.now());
        }}
      >
        <button>Visit</button>
      </form>
    </section>
  );
}
`,
    );
  }
  for (let index = 0; index < servers; index++) {
    write(
      `server/server-${index}.ts`,
      `import { db } from "../lib/db.server.ts";

/** Plain module code next to a server function. */
export const LABEL_${index} = "server-${index}";

export async function track${index}(event: string): Promise<number> {
  "use server";
  const count = ((await db.get(\`count-${index}\`)) as number | undefined) ?? 0;
  await db.put(\`count-${index}\`, count + event.length);
  return count + 1;
}
`,
    );
  }
  const imports = (prefix: string, count: number, names: (index: number) => string) =>
    Array.from({ length: count }, (_, index) => `import { ${names(index)} } from "./${prefix}-${index}${prefix.startsWith("pages") ? ".tsx" : ".ts"}";`).join("\n");
  const everything = [
    imports("pages/page", pages, (index) => `Page${index}, getTitle${index}, publish${index}`),
    imports("actions/actions", actions, (index) => `getItem${index}`),
    imports("server/server", servers, (index) => `track${index}`),
  ].join("\n");
  const list = (count: number, name: (index: number) => string) => Array.from({ length: count }, (_, index) => name(index)).join(", ");
  const exposed = `[${list(pages, (index) => `Page${index}, getTitle${index}, publish${index}`)}, ${list(actions, (index) => `getItem${index}`)}, ${list(servers, (index) => `track${index}`)}]`;
  const runtime = (name: string, file: string) => `import { ${name} } from ${JSON.stringify(join(sortie, file))};\n`;
  write(
    "worker.ts",
    `${everything}\n${runtime("registerServerFunction", "worker/endpoint/registry.ts")}export const app = [${exposed}, registerServerFunction];\nexport default { fetch: () => new Response(String(app.length)) };\n`,
  );
  write("client.ts", `${everything}\n${runtime("createServerReference", "client/stub.ts")}(globalThis as Record<string, unknown>).app = [${exposed}, createServerReference];\n`);
  return 4 + utils + actions + pages + servers;
}
