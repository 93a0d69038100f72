import { getRequestEvent, requestLocal, type RequestEvent } from "../request/context.ts";
import { cookies, type CookieJar } from "../request/cookies.ts";
import { ResponseStartedError } from "../request/errors.ts";
import { appSessionDefaults } from "./defaults.ts";
import { SessionClosedError, SessionConfigError, SessionNotSavedError, SessionStoreError } from "./errors.ts";
import { deriveSessionKey, type SessionKey } from "./keys.ts";
import { resolveSessionConfig, type SessionConfig, type SessionOptions } from "./options.ts";
import { recordKey, Retired, type SessionStore } from "./store.ts";
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
  /** Ends the session: its id is retired in the store (no request can write it again) and the cookie expired. */
  clear(): void;
  /** Moves the data to a new id and retires the old one. Call it on sign-in (prevents fixation). */
  regenerate(): void;
}

const OPEN_SESSIONS = Symbol("sortie.sessions");
/** How long after a session was retired its cookie is left alone (another response may be replacing it). */
const RETIRED_GRACE_MS = 60_000;

interface OpenSession {
  /** The options it was opened with, to catch a second call that disagrees. */
  fingerprint: string;
  session: Promise<Session<SessionData>>;
}

/**
 * The session of the current request, in any server function, query, preload or page. Its
 * data is read from the store at most once per request, and only when the request has a
 * valid session cookie; later calls in the same request get the same session object.
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
    store: config.store,
    jar: cookies(),
    keys: () => Promise.all(config.passwords.map(deriveSessionKey)),
  };
  const cookie = scope.jar.get(config.cookieName);
  const ticket = cookie === undefined ? undefined : await openTicket(cookie, await scope.keys(), config.cookieName, nowSeconds());
  const stored = ticket ? await scope.store.read(await recordKey("session", ticket.id)) : null;
  const loaded = ticket && typeof stored === "string" ? { ticket, json: stored } : undefined;
  // Retired moments ago: a parallel request (a sign-in, a sign-out) may still be answering, and
  // its cookie must win. Retired long ago: the cookie names nothing any more (its response was
  // lost), like an expired session's.
  const retired = stored instanceof Retired && Date.now() - stored.at < RETIRED_GRACE_MS;
  const session = new StoredSession(scope, loaded, { hadCookie: cookie !== undefined, retired });
  try {
    event.beforeResponse(() => session.save());
  } catch (error) {
    // Opened after the response started (a query re-run by single flight): it can still be read.
    if (!(error instanceof ResponseStartedError)) throw error;
    session.close();
  }
  return session;
}

class StoredSession implements Session<SessionData> {
  #id: string;
  #data: SessionData;
  /** The JSON the store holds under #id, undefined when it holds nothing. */
  #stored: string | undefined;
  /** The request's cookie, while it still names #id. */
  #ticket: OpenedTicket | undefined;
  /** Ids to retire when the session is saved (by clear() or regenerate()). */
  #retired: string[] = [];
  readonly #scope: SessionScope;
  readonly #hadCookie: boolean;
  /** The cookie named a session another request had already retired. */
  readonly #loadedRetired: boolean;
  /** clear() or regenerate() was called: this request starts a session of its own. */
  #renewed = false;
  #closed = false;

  constructor(scope: SessionScope, loaded: { ticket: OpenedTicket; json: string } | undefined, found: { hadCookie: boolean; retired: boolean }) {
    this.#scope = scope;
    this.#hadCookie = found.hadCookie;
    this.#loadedRetired = found.retired;
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

  /**
   * The request's end: one store write if the data changed, retired ids tombstoned, the cookie
   * set only when its value changes. A request never writes a retired id back, nor sends a
   * cookie for it: when another request retired this session meanwhile (a sign-in or sign-out
   * in parallel), this request's change is dropped and logged, and the browser keeps the
   * cookie that other request sent.
   */
  async save(): Promise<void> {
    this.close();
    const { config, store, jar, keys } = this.#scope;
    const json = JSON.stringify(this.#data);
    const cookieName = config.cookieName;
    const setCookie = async (expiresAt: number) => {
      const value = await sealTicket({ id: this.#id, expiresAt }, (await keys())[0]!, cookieName);
      jar.set(cookieName, value, { ...config.cookie, httpOnly: true, maxAge: expiresAt - nowSeconds() });
    };
    try {
      if (!this.#renewed && json === (this.#stored ?? "{}")) {
        // Nothing changed. A ticket sealed with an older password is sealed again, unless the
        // session was retired meanwhile. A cookie naming nothing (expired, unreadable) goes;
        // one naming a retired session stays: a parallel response may already have replaced it.
        if (this.#ticket?.stale) {
          if (!((await store.read(await recordKey("session", this.#id))) instanceof Retired)) await setCookie(this.#ticket.expiresAt);
        } else if (!this.#ticket && this.#hadCookie && !this.#loadedRetired) {
          jar.delete(cookieName, config.cookie);
        }
        return;
      }
      if (this.#loadedRetired && !this.#renewed) return dropped("the session its cookie names had been ended by another request");
      const empty = json === "{}";
      // Write before retiring: if the write fails, the old session is still whole.
      if (!empty && !(await store.write(await recordKey("session", this.#id), json, config.maxAge, this.#ticket !== undefined))) {
        return dropped("another request ended this session while it ran");
      }
      const ended = empty && this.#stored !== undefined ? [...this.#retired, this.#id] : this.#retired;
      // A tombstone lasts as long as a cookie naming the id could.
      const retiring = ended.map(async (id) => store.retire(await recordKey("session", id), config.maxAge));
      if (empty) {
        // Ending the session (sign-out) is the change itself: it must be saved.
        await Promise.all(retiring);
      } else {
        // regenerate(): the data lives on under the new id, already written. An old id left
        // un-retired (KV refuses a second write to a key within a second: two sign-ins 30 ms
        // apart) still opens only the data it had before, never the new session's; so a
        // failure here is logged rather than failing a sign-in that is otherwise saved.
        for (const outcome of await Promise.allSettled(retiring)) {
          if (outcome.status === "rejected") console.warn("[sortie] an old session id could not be retired after regenerate():", outcome.reason);
        }
      }
      if (!empty) await setCookie(nowSeconds() + config.maxAge);
      else if (this.#hadCookie) jar.delete(cookieName, config.cookie);
    } catch (error) {
      throw error instanceof SessionStoreError ? new SessionNotSavedError(error) : error;
    }
  }

  /** From now on the session is read-only: its changes could no longer be saved. */
  close(): void {
    this.#closed = true;
  }

  #retire(): void {
    if (this.#stored !== undefined) this.#retired.push(this.#id);
    this.#renewed = true;
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

function dropped(reason: string): void {
  console.warn(`[sortie] a session change was not saved: ${reason} (a sign-in or sign-out in parallel); the browser keeps that request's cookie`);
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
