import type { MiddlewareHandler } from "hono";
import { referenceInfo, setOutboundBinding, type OutboundBinding, type ReferenceInfo } from "../../common/reference.ts";
import { findRequestEvent, type RequestEvent } from "../request/context.ts";
import { sealArguments } from "./seal.ts";
import { hasClosures } from "../endpoint/registry.ts";
import { sessionPasswords } from "../session/options.ts";
import { encodeArguments } from "../../common/wire.ts";

/**
 * Which bound arguments of a reference leave the Worker sealed, and when they get sealed.
 * A closure's captured values always do; with `createSortie({ sealBoundArguments: true })` the
 * arguments bound with `.with(…)` do too. Sealing is asynchronous (WebCrypto) while rendering
 * and encoding are not, so:
 * - in a URL (a form's `action`, a button's `formaction`), the page carries a placeholder
 *   `sealed=~<n>` that the form's render fills in (forms/form-render.ts; after a plain form
 *   post, the pass in forms/form-markup.ts);
 * - in a value (an island's props, a result, the page's data), the references are sealed
 *   beforehand by sealReferencesIn(), and encoding takes the tokens.
 */

const SEAL_BOUND = "sortie.sealBound";
const SEALS = Symbol("sortie.seals");

declare module "hono" {
  interface ContextVariableMap {
    [SEAL_BOUND]: boolean;
  }
}

interface RequestSeals {
  /** Placeholder → the sealing it stands for, and the bound arguments' seroval JSON (what a flash is matched by). */
  readonly placeholders: Map<string, { sealing: Promise<string>; boundKey: string }>;
  /** Sealed beforehand, for values. */
  readonly tokens: Map<ReferenceInfo, string>;
}

/** Middleware of an app with `sealBoundArguments: true`: the references of each request seal their bound arguments. */
export function sealBoundArguments(): MiddlewareHandler {
  return (c, next) => {
    c.set(SEAL_BOUND, true);
    return next();
  };
}

/** How many of `info`'s leading bound arguments leave sealed in this request. */
function sealedCount(info: ReferenceInfo, event: RequestEvent | undefined): number {
  const bound = event?.hono.get(SEAL_BOUND) ? info.bound.length : 0;
  return Math.max(info.captured ?? 0, bound);
}

function sealsOf(event: RequestEvent): RequestSeals {
  let seals = event.locals.get(SEALS) as RequestSeals | undefined;
  if (!seals) event.locals.set(SEALS, (seals = { placeholders: new Map(), tokens: new Map() }));
  return seals;
}

/** A reference with sealed values met outside a request: there is no secret to seal with. */
export class SealOutsideRequestError extends Error {
  override name = "SealOutsideRequestError";
}

/** A reference with sealed values inside something encoded later (a promise, a stream). */
export class UnsealedReferenceError extends Error {
  override name = "UnsealedReferenceError";
}

setOutboundBinding((info, where): OutboundBinding | undefined => {
  const event = findRequestEvent();
  const count = sealedCount(info, event);
  if (count === 0) return undefined;
  if (!event) {
    throw new SealOutsideRequestError(`A reference to ${JSON.stringify(info.id)} holds values that travel sealed, and can only be sent while a request is handled (its secret comes with the request)`);
  }
  // Sealing needs the secret: a missing or short one fails here, while rendering, naming it.
  sessionPasswords(event);
  const seals = sealsOf(event);
  const bound = info.bound.slice(count);
  if (where === "value") {
    const sealed = seals.tokens.get(info);
    if (sealed === undefined) {
      throw new UnsealedReferenceError(
        `A reference to ${JSON.stringify(info.id)} holds sealed values and was met where Sortie cannot seal them (inside a promise or a stream): return or pass it outside those`,
      );
    }
    return { sealed, bound };
  }
  const placeholder = `~${seals.placeholders.size}`;
  const sealing = sealArguments(event, info.id, info.bound.slice(0, count));
  sealing.catch(() => {}); // reported where the page awaits it (fillSealedUrl)
  seals.placeholders.set(placeholder, { sealing, boundKey: encodeArguments(info.bound) });
  return { sealed: placeholder, bound };
});

function placeholderIn(url: string, event: RequestEvent) {
  const match = /([?&]sealed=)(~\d+)/.exec(url);
  const entry = match && (event.locals.get(SEALS) as RequestSeals | undefined)?.placeholders.get(match[2]!);
  return entry ? { match, ...entry } : undefined;
}

/** The URL with its placeholder (`sealed=~<n>`) replaced by the sealed value, or undefined when it holds none of this request's. */
export function fillSealedUrl(url: string, event: RequestEvent): Promise<string> | undefined {
  const found = url.includes("sealed=~") ? placeholderIn(url, event) : undefined;
  return found?.sealing.then((sealed) => url.replace(found.match[0], found.match[1] + encodeURIComponent(sealed)));
}

/** For a URL with a placeholder: the bound arguments' seroval JSON, as a flash of a post to it records them. */
export function sealedBoundKey(url: string, event: RequestEvent): string | undefined {
  return placeholderIn(url, event)?.boundKey;
}

/** Whether this request rendered any placeholder (a page without one skips the work). */
export function hasPlaceholders(event: RequestEvent): boolean {
  return ((event.locals.get(SEALS) as RequestSeals | undefined)?.placeholders.size ?? 0) > 0;
}

/** Whether a value of this request may hold references to seal: not in an app with no closure that does not seal bound arguments (the walk is skipped). */
export function maySeal(event: RequestEvent): boolean {
  return hasClosures() || event.hono.get(SEAL_BOUND) === true;
}

// A walk of plain data, bounded like arguments: a value deeper or larger than this is not searched.
const MAX_WALK_DEPTH = 64;
const MAX_WALK_NODES = 100_000;

/**
 * Seals the references with sealed values found in `value` (plain objects, arrays, Maps and
 * Sets; not inside promises or streams), so encoding it finds their tokens.
 */
export async function sealReferencesIn(value: unknown, event: RequestEvent): Promise<void> {
  if (!maySeal(event)) return;
  const found: ReferenceInfo[] = [];
  const seen = new Set<unknown>();
  const walk = (current: unknown, depth: number) => {
    if (depth > MAX_WALK_DEPTH || seen.size > MAX_WALK_NODES || current === null || seen.has(current)) return;
    if (typeof current === "function") {
      const info = referenceInfo(current);
      if (info && sealedCount(info, event) > 0) found.push(info);
      return;
    }
    if (typeof current !== "object") return;
    seen.add(current);
    if (Array.isArray(current) || current instanceof Set) for (const item of current) walk(item, depth + 1);
    else if (current instanceof Map) for (const [key, item] of current) (walk(key, depth + 1), walk(item, depth + 1));
    else if (Object.getPrototypeOf(current) === Object.prototype || Object.getPrototypeOf(current) === null) {
      for (const key of Object.keys(current)) walk((current as Record<string, unknown>)[key], depth + 1);
    }
  };
  walk(value, 0);
  if (!found.length) return;
  const seals = sealsOf(event);
  await Promise.all(
    found.map(async (info) => {
      if (!seals.tokens.has(info)) seals.tokens.set(info, await sealArguments(event, info.id, info.bound.slice(0, sealedCount(info, event))));
    }),
  );
}
