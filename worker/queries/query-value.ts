import { jsx } from "hono/jsx";
import { QUERY_SELECT, QUERY_VALUE } from "../../common/markup.ts";
import type { Query } from "../../common/query-key.ts";
import { selectText } from "../../common/select.ts";
import { queryCall } from "./query.ts";

type AnyAsyncFunction = (...args: any[]) => Promise<unknown>;

export type QueryValueProps<F extends AnyAsyncFunction> = {
  query: Query<F>;
  /** A dotted path into the value (`"name"`, `"owner.name"`); default: the value itself. */
  select?: string;
} & (Parameters<F> extends [] ? { args?: [] } : { args: Parameters<F> });

/**
 * Shows a query's value as text that stays current without an island: the Worker renders
 * the value now, and `start()` rewrites the element's text whenever the client cache entry
 * changes (after a single-flight mutation), with no UI library loaded.
 */
export async function QueryValue<F extends AnyAsyncFunction>(props: QueryValueProps<F>) {
  const call = queryCall(props.query, (props.args ?? []) as Parameters<F>);
  const value = await call.promise;
  return jsx("span", { [QUERY_VALUE]: call.cacheKey, [QUERY_SELECT]: props.select }, selectText(value, props.select));
}
