import type { MiddlewareHandler } from "hono";
import type { RequestEvent } from "../request/context.ts";
import { checkSessionDefaults, type SessionOptions } from "./options.ts";

// The app's session defaults ride on the Hono context, so two apps in one isolate (tests,
// sub-apps) keep their own.
const DEFAULTS = "sortie.session";

declare module "hono" {
  interface ContextVariableMap {
    [DEFAULTS]: SessionOptions;
  }
}

/** Middleware: `createSortie({ session })` becomes the defaults of every `useSession()` of the app. */
export function sessionDefaults(options: SessionOptions = {}): MiddlewareHandler {
  const defaults = checkSessionDefaults(options);
  // Not async: it hands on next()'s promise, one promise less per request.
  return (c, next) => {
    c.set(DEFAULTS, defaults);
    return next();
  };
}

export function appSessionDefaults(event: RequestEvent): SessionOptions {
  return event.hono.get(DEFAULTS) ?? {};
}
