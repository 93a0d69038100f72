import type { JSXNode } from "hono/jsx/dom";
import { readJSON } from "../common/reader/read.ts";
import { ISLAND_NAME, ISLAND_PROPS, ISLAND_TAG } from "../common/markup.ts";
import { ARGUMENT_PLUGINS } from "../common/wire.ts";
import { STUB_REFERENCES } from "./stub.ts";
import { inIsland } from "./use-form.ts";
import { provideDom } from "./use-query.ts";

/** A module whose default export is an island component (`() => import("./islands/Counter.tsx")`). */
export type IslandLoader = () => Promise<{ default: (props: any) => unknown }>;

export class IslandError extends Error {
  override name = "IslandError";
}

/**
 * Renders the page's islands with hono/jsx/dom, loading the code of only those present.
 * Islands start independently; if some fail, the others still run and the returned promise
 * rejects naming the failures.
 */
export async function startIslands(loaders: Record<string, IslandLoader>, root: ParentNode = document): Promise<void> {
  // An island inside another one is part of its parent's HTML; the parent renders it.
  const elements = [...root.querySelectorAll<HTMLElement>(ISLAND_TAG)].filter((element) => !element.parentElement?.closest(ISLAND_TAG));
  if (!elements.length) return;
  const dom = import("hono/jsx/dom");
  const failures: string[] = [];
  await Promise.all(
    elements.map(async (element) => {
      const name = element.getAttribute(ISLAND_NAME) ?? "";
      try {
        const load = Object.hasOwn(loaders, name) ? loaders[name] : undefined;
        if (!load) throw new IslandError(`start({ islands }) has no loader for the island "${name}" on this page`);
        const [module, hono] = await Promise.all([load(), dom]);
        provideDom(hono);
        const [props] = readJSON<[object]>(JSON.parse(element.getAttribute(ISLAND_PROPS) ?? "[{}]"), [...ARGUMENT_PLUGINS, STUB_REFERENCES]);
        // Whatever JSX types the island was written against, hono/jsx/dom renders a function component.
        hono.render(inIsland(hono, element, hono.jsx(module.default as (props: object) => JSXNode, props)), element);
      } catch (error) {
        console.error(`sortie: the island "${name}" failed to start`, error);
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }),
  );
  if (failures.length) throw new IslandError(`${failures.length} island(s) failed to start: ${failures.join("; ")}`);
}
