import { jsx } from "hono/jsx/jsx-runtime";
import { functionUrl } from "../../common/wire.ts";
import { referenceInfo } from "../../common/reference.ts";

/** hono/jsx no longer asks functions for their URL the way Sortie expects. */
export class PermalinkProbeError extends Error {
  override name = "PermalinkProbeError";
}

/** hono/jsx's private symbol for a function's URL in `<form action>` / `formAction`. */
const PERMALINK = findPermalinkSymbol();

/**
 * hono/jsx renders a function given as `action` or `formAction` as `fn[PERMALINK]`, a symbol
 * it does not export. Rendering a form whose action is a Proxy reveals it: hono checks
 * `PERMALINK in action`, which the Proxy's `has` trap sees.
 */
function findPermalinkSymbol(): symbol {
  let found: symbol | undefined;
  const probe = new Proxy(() => {}, {
    has(target, key) {
      if (typeof key === "symbol" && key.description === "PERMALINK") found = key;
      return Reflect.has(target, key);
    },
  });
  String(jsx("form", { action: probe }));
  if (!found) {
    throw new PermalinkProbeError(
      "hono/jsx did not ask the form action for its PERMALINK symbol, so <form action={serverFunction}> cannot render a URL: this hono version changed its internals; pin the hono version Sortie was tested with (4.x)",
    );
  }
  return found;
}

/** Gives a server-function reference its URL where hono/jsx looks for it (`/_server/<id>?bound=…`). */
export function definePermalink(reference: Function): void {
  Object.defineProperty(reference, PERMALINK, {
    configurable: true,
    get: () => functionUrl(referenceInfo(reference)!),
  });
}
