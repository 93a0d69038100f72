import type { Context } from "hono";
import { runWithRequestEvent, type RequestEvent, type WorkerEnv } from "./context.ts";
import { sealCookies } from "./cookies.ts";
import { ResponseStartedError } from "./errors.ts";

/** `SORTIE_ENV` holds something other than "development" or "production". */
export class SortieEnvError extends Error {
  override name = "SortieEnvError";
}

interface Hooks {
  pending: Array<() => Promise<void> | void>;
  started: boolean;
}

const HOOKS = Symbol("sortie.beforeResponse");

/** The RequestEvent of a request Hono is handling; server functions reach it through getRequestEvent(). */
export function createRequestEvent(c: Context): RequestEvent {
  return new HonoRequestEvent(c);
}

// A class, not an object literal: every request's event shares one shape, and what most calls
// never read (the parsed URL, the abort signal) is only built on first use.
class HonoRequestEvent implements RequestEvent {
  readonly request: Request;
  readonly env: WorkerEnv;
  readonly hono: Context;
  readonly dev: boolean;
  response = new ResponseState();
  readonly locals = new Map<symbol, unknown>();
  #hooks: Hooks = { pending: [], started: false };
  #url: URL | undefined;

  constructor(c: Context) {
    this.hono = c;
    this.request = c.req.raw;
    this.env = (c.env ?? {}) as WorkerEnv;
    this.dev = isDevelopment(this.env);
    this.locals.set(HOOKS, this.#hooks);
  }

  get url(): URL {
    return (this.#url ??= new URL(this.request.url));
  }

  get signal(): AbortSignal {
    return this.request.signal;
  }

  // Functions made on first read, so `const { waitUntil } = getRequestEvent()` keeps working
  // and a call that uses neither allocates neither. Hono throws when the app was called
  // without an ExecutionContext; only code that really needs waitUntil should meet that error.
  #waitUntil: RequestEvent["waitUntil"] | undefined;
  #beforeResponse: RequestEvent["beforeResponse"] | undefined;

  get waitUntil(): RequestEvent["waitUntil"] {
    return (this.#waitUntil ??= (promise) => this.hono.executionCtx.waitUntil(promise));
  }

  get beforeResponse(): RequestEvent["beforeResponse"] {
    return (this.#beforeResponse ??= (hook) => {
      if (this.#hooks.started) throw new ResponseStartedError("beforeResponse()");
      this.#hooks.pending.push(hook);
    });
  }
}

/**
 * The answer's status and headers; the Headers object is made on first use. Once locked (a
 * streamed page sent its head), changing either throws instead of being lost.
 */
class ResponseState {
  #status = 200;
  #headers: Headers | undefined;
  #locked = false;
  #readOnly: Headers | undefined;

  get status(): number {
    return this.#status;
  }

  set status(status: number) {
    if (this.#locked) throw new ResponseStartedError(`response.status = ${status}`);
    this.#status = status;
  }

  get headers(): Headers {
    this.#headers ??= new Headers();
    return this.#locked ? (this.#readOnly ??= readOnlyHeaders(this.#headers)) : this.#headers;
  }

  set headers(headers: Headers) {
    if (this.#locked) throw new ResponseStartedError("response.headers = …");
    this.#headers = headers;
  }

  lock(): void {
    this.#locked = true;
  }

  get headersIfAny(): Headers | undefined {
    return this.#headers;
  }
}

const HEADER_CHANGES = new Set<string | symbol>(["set", "append", "delete"]);

/** The same headers, readable, whose changes throw ResponseStartedError. */
function readOnlyHeaders(headers: Headers): Headers {
  return new Proxy(headers, {
    get(target, key) {
      if (HEADER_CHANGES.has(key)) {
        return (name: string) => {
          throw new ResponseStartedError(`response.headers.${String(key)}("${name}")`);
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * From now on the request's status and headers refuse changes (ResponseStartedError): a
 * streamed page calls it once its status and headers are settled, so a component that changes
 * them later fails loudly instead of being ignored. Internal code keeps the real headers
 * through headersIfAny.
 */
export function lockResponse(event: RequestEvent): void {
  if (event.response instanceof ResponseState) event.response.lock();
}

/** The headers the request's work set, or undefined when it set none (most calls). */
export function headersIfAny(event: RequestEvent): Headers | undefined {
  return event.response instanceof ResponseState ? event.response.headersIfAny : event.response.headers;
}

/**
 * Runs the `beforeResponse` hooks once, in registration order (a hook may register another
 * one; it runs too), then writes this request's cookie changes as Set-Cookie headers. Call it
 * once, after the work and before the response starts. A hook that throws stops the rest, no
 * cookie is written, and its error reaches the caller, which turns it into the response.
 * Without hooks it commits at once and returns undefined; else a promise of the hooks' end.
 */
export function finishRequestEvent(event: RequestEvent): Promise<void> | undefined {
  const hooks = event.locals.get(HOOKS) as Hooks;
  // No hook (most requests): the commit is synchronous, without a promise to wait for.
  if (hooks.pending.length === 0) return void commit(event, hooks, true);
  return runHooks(event, hooks);
}

async function runHooks(event: RequestEvent, hooks: Hooks): Promise<void> {
  let finished = false;
  try {
    // Inside the request's context: a hook may use cookies() or getRequestEvent() like the code that registered it.
    for (let hook = hooks.pending.shift(); hook; hook = hooks.pending.shift()) await runWithRequestEvent(event, hook);
    finished = true;
  } finally {
    commit(event, hooks, finished);
  }
}

/**
 * finishRequestEvent, for code that answers anyway: the error when the commit failed (the
 * session store is down), after which the response carries none of the request's headers or
 * cookies, so nothing half-written goes out. The one place that decides what a failed save
 * leaves of the response (the endpoint, pages and form posts all answer with the error).
 */
export function commitOrFail(event: RequestEvent): Promise<{ error: unknown } | undefined> | { error: unknown } | undefined {
  try {
    return finishRequestEvent(event)?.then(
      () => undefined,
      (error: unknown) => failedCommit(event, error),
    );
  } catch (error) {
    return failedCommit(event, error);
  }
}

function failedCommit(event: RequestEvent, error: unknown): { error: unknown } {
  event.response.headers = new Headers();
  return { error };
}

/**
 * Closes the request's state for changes. On a failed hook the error response carries no
 * cookie: a half-done commit (a session cookie whose KV write failed) must not reach the browser.
 */
function commit(event: RequestEvent, hooks: Hooks, send: boolean): void {
  hooks.started = true;
  const setCookies = sealCookies(event);
  if (send) for (const value of setCookies) event.response.headers.append("Set-Cookie", value);
}

/** Whether the Worker runs under development (`SORTIE_ENV`); throws naming the variable if it holds anything else. */
export function isDevelopment(env: unknown): boolean {
  const mode = (env as Record<string, unknown> | undefined)?.SORTIE_ENV;
  if (mode === undefined || mode === "production") return false;
  if (mode === "development") return true;
  throw new SortieEnvError(
    `SORTIE_ENV must be "development" or "production" (got ${JSON.stringify(mode)}): set it under [vars] in wrangler.toml or in .dev.vars`,
  );
}
