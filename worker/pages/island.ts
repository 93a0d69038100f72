import { jsx, type Child } from "hono/jsx";
import { ISLAND_NAME, ISLAND_PROPS, ISLAND_TAG } from "../../common/markup.ts";
import { encodeArguments } from "../../common/wire.ts";
import { travellingReference } from "../../common/plugins.ts";
import { getRequestEvent } from "../request/context.ts";
import { settleQueries } from "../queries/query-cache.ts";
import { sealReferencesIn } from "../references/sealing.ts";

export class IslandError extends Error {
  override name = "IslandError";
}

const islands = new Map<string, Function>();

/**
 * A server component rendering `Component`'s HTML inside a `<sortie-island>` that carries
 * the island's name and props; in the browser `start({ islands })` loads the island's code
 * (only for islands on the page) and renders it there with hono/jsx/dom. Props travel as
 * seroval JSON, so they must be data or server-function references (an action or a query, bound
 * or not, which the browser gets as a working stub): no other functions, no JSX children.
 */
export function island<Props extends object>(name: string, Component: (props: Props) => Child): (props: Props) => Promise<Child> {
  if (!/^[A-Za-z][\w-]*$/.test(name)) {
    throw new IslandError(`island(name, Component): name must be a word like "Counter" (got ${JSON.stringify(name)})`);
  }
  if (typeof Component !== "function") throw new IslandError(`island("${name}", Component): Component must be a function`);
  const existing = islands.get(name);
  if (existing && existing !== Component) throw new IslandError(`Two islands are named "${name}": the browser could not tell them apart`);
  islands.set(name, Component);

  return async (props) => {
    if ("children" in props) throw new IslandError(`island "${name}": islands take no children (they cannot travel to the browser)`);
    let json: string;
    try {
      await sealReferencesIn(props, getRequestEvent());
      json = encodeArguments([props], undefined, travellingReference);
    } catch (error) {
      throw new IslandError(`island "${name}": its props cannot be sent to the browser (${(error as Error).message}); pass data and server functions only`, {
        cause: error,
      });
    }
    // useQuery reads settled values synchronously: let the page's queries settle first.
    await settleQueries(getRequestEvent());
    return jsx(ISLAND_TAG, { [ISLAND_NAME]: name, [ISLAND_PROPS]: json }, jsx(Component, props));
  };
}
