import { getRequestEvent, requestLocal, type RequestEvent } from "../context.ts";
import { cookies, type CookieJar } from "../cookies.ts";
import { ResponseStartedError } from "../errors.ts";
import { appSessionDefaults } from "./defaults.ts";
import { SessionClosedError, SessionConfigError } from "./errors.ts";
import { deriveSessionKey, type SessionKey } from "./keys.ts";
import { resolveSessionConfig, type SessionConfig, type SessionOptions } from "./options.ts";
import { SessionStore } from "./store.ts";
import { newSessionId, openTicket, sealTicket, type OpenedTicket } from "./ticket.ts";

export type { SessionOptions } from "./options.ts";

export type SessionData = Record<string, unknown>;

/** One visitor's session. Changes are saved once, when the request's work is done. */
export interface Session<T extends SessionData> {
  /** The session's id. Changes on `regenerate()` and `clear()`; the cookie carries it sealed. */
  readonly id: string;
  /** The current data, changes from this request included (JSON values only). */
  readonly data: T;
  /** Merges fields into the data (a function gets the current data and returns the fields). */
  update(change: Partial<T> | ((data: T) => Partial<T>)): void;
  /** Ends the session: its KV entry is deleted and the cookie expired. */
  clear(): void;
  /** Moves the data to a new id and retires the old one. Call it on sign-in (prevents fixation). */
  regenerate(): void;
}

const OPEN_SESSIONS = Symbol("sortie.sessions");

interface OpenSession {
  /** The options it was opened with, to catch a second call that disagrees. */
  fingerprint: string;
  session: Promise<Session<SessionData>>;
}

/**
 * The session of the current request, in any server function, query, preload or page. Its
 * data is read from KV at most once per request, and only when the request has a valid
 * session cookie; later calls in the same request get the same session object.
 */
export async function useSession<T extends SessionData = SessionData>(options: SessionOptions = {}): Promise<Session<T>> {
  const event = getRequestEvent();
  const config = resolveSessionConfig(options, appSessionDefaults(event), event);
  const open = requestLocal(OPEN_SESSIONS, () => new Map<string, OpenSession>(), event);
  const fingerprint = JSON.stringify([config.passwords, config.maxAge, config.cookie, config.binding]);
  let entry = open.get(config.cookieName);
  if (entry && entry.fingerprint !== fingerprint) {
    throw new SessionConfigError(
      `useSession() was called twice in one request for cookie "${config.cookieName}" with different options: pass the same options (or set them once in createSortie({ session }))`,
    );
  }
  if (!entry) {
    entry = { fingerprint, session: openSession(config, event) };
    open.set(config.cookieName, entry);
  }
  return entry.session as Promise<Session<T>>;
}

/** What a session needs to load and save itself within one request. */
interface SessionScope {
  config: SessionConfig;
  store: SessionStore;
  /** The request's cookie jar, looked up once when the session opens. */
  jar: CookieJar;
  /** Newest first; derived once per isolate. */
  keys(): Promise<SessionKey[]>;
}

async function openSession(config: SessionConfig, event: RequestEvent): Promise<Session<SessionData>> {
  const scope: SessionScope = {
    config,
    store: new SessionStore(config.namespace, config.binding),
    jar: cookies(),
    keys: () => Promise.all(config.passwords.map(deriveSessionKey)),
  };
  const cookie = scope.jar.get(config.cookieName);
  const ticket = cookie === undefined ? undefined : await openTicket(cookie, await scope.keys(), config.cookieName, nowSeconds());
  const stored = ticket ? await scope.store.read(ticket.id) : null;
  const session = new KvSession(scope, stored === null ? undefined : { ticket: ticket!, json: stored }, cookie !== undefined);
  try {
    event.beforeResponse(() => session.save());
  } catch (error) {
    // Opened after the response started (a query re-run by single flight): it can still be read.
    if (!(error instanceof ResponseStartedError)) throw error;
    session.close();
  }
  return session;
}

class KvSession implements Session<SessionData> {
  #id: string;
  #data: SessionData;
  /** The JSON KV holds under #id, undefined when it holds nothing. */
  #stored: string | undefined;
  /** The request's cookie, while it still names #id. */
  #ticket: OpenedTicket | undefined;
  /** Ids whose KV entries must go (retired by clear() or regenerate()). */
  #retired: string[] = [];
  readonly #scope: SessionScope;
  readonly #hadCookie: boolean;
  #closed = false;

  constructor(scope: SessionScope, loaded: { ticket: OpenedTicket; json: string } | undefined, hadCookie: boolean) {
    this.#scope = scope;
    this.#hadCookie = hadCookie;
    this.#ticket = loaded?.ticket;
    this.#id = loaded?.ticket.id ?? newSessionId();
    this.#stored = loaded?.json;
    this.#data = loaded ? parseData(loaded.json) : {};
  }

  get id(): string {
    return this.#id;
  }

  get data(): SessionData {
    return this.#data;
  }

  update(change: Partial<SessionData> | ((data: SessionData) => Partial<SessionData>)): void {
    this.#open("update");
    this.#data = { ...this.#data, ...(typeof change === "function" ? change(this.#data) : change) };
  }

  clear(): void {
    this.#open("clear");
    this.#retire();
    this.#data = {};
  }

  regenerate(): void {
    this.#open("regenerate");
    this.#retire();
  }

  /** The request's end: one KV write if the data changed, retired entries deleted, the cookie set. */
  async save(): Promise<void> {
    this.close();
    const { config, store, jar, keys } = this.#scope;
    const json = JSON.stringify(this.#data);
    const cookieName = config.cookieName;
    const setCookie = async (expiresAt: number) => {
      const value = await sealTicket({ id: this.#id, expiresAt }, (await keys())[0]!, cookieName);
      jar.set(cookieName, value, { ...config.cookie, httpOnly: true, maxAge: expiresAt - nowSeconds() });
    };
    if (json === this.#stored) {
      if (this.#ticket?.stale) await setCookie(this.#ticket.expiresAt);
      return;
    }
    const empty = json === "{}";
    // Write before deleting: if the write fails, the old session is still whole.
    if (!empty) await store.write(this.#id, json, config.maxAge);
    const obsolete = empty && this.#stored !== undefined ? [...this.#retired, this.#id] : this.#retired;
    await Promise.all(obsolete.map((id) => store.remove(id)));
    if (!empty) await setCookie(nowSeconds() + config.maxAge);
    else if (this.#hadCookie) jar.delete(cookieName, config.cookie);
  }

  /** From now on the session is read-only: its changes could no longer be saved. */
  close(): void {
    this.#closed = true;
  }

  #retire(): void {
    if (this.#stored !== undefined) this.#retired.push(this.#id);
    this.#id = newSessionId();
    this.#stored = undefined;
    this.#ticket = undefined;
  }

  #open(method: string): void {
    if (this.#closed) {
      throw new SessionClosedError(
        `session.${method}() was called after the response started, when the session had been saved: change the session in the server function itself (queries re-run after it may only read it)`,
      );
    }
  }
}

// KV holds what Sortie wrote; anything else (edited by hand) starts the data afresh.
function parseData(json: string): SessionData {
  try {
    const data: unknown = JSON.parse(json);
    if (data !== null && typeof data === "object" && !Array.isArray(data)) return data as SessionData;
  } catch {}
  return {};
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
