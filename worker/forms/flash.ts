import type { SerovalJSON } from "seroval";
import { getRequestEvent, type RequestEvent } from "../request/context.ts";
import { cookies } from "../request/cookies.ts";
import { appSessionDefaults } from "../session/defaults.ts";
import { FlashNotSavedError, SessionStoreError } from "../session/errors.ts";
import { resolveSessionConfig } from "../session/options.ts";
import { randomBase64Url } from "../session/bytes.ts";
import { recordKey, type SessionStore } from "../session/store.ts";

/**
 * The one-time flash that carries a plain form post's outcome to the page it returns to.
 *
 * Each post writes its own flash, once, under its own key in the session store (KV, or a
 * Durable Object), with a short lifetime; the session record is not touched, so posts in
 * parallel neither lose each other's flash nor rewrite the session. A cookie per flash names
 * it (`sortie-flash.<nonce>`, `__Host-` on https) and holds the page it is addressed to. A
 * page render takes only the flashes addressed to it, reads them (no cookie, no store read)
 * and deletes their cookies: showing a flash writes nothing to the store, and an unrelated
 * page neither shows nor consumes one. The entry itself expires with its lifetime.
 */
export interface Flash {
  /** The server function's id, and its bound arguments' JSON (from the form's URL, or opened from its seal). */
  id: string;
  bound: string | undefined;
  /** Some bound arguments came sealed: `bound` holds values the browser must not see (form-markup.ts leaves it out). */
  sealed?: boolean;
  /** seroval JSON of the submission (common/forms.ts StoredSubmission). */
  value: SerovalJSON;
  /** When it was written (ms since the epoch): the newest of several wins in useSubmission. */
  at: number;
}

/** How long an unread flash lives (KV's shortest lifetime is 60 s). */
const FLASH_TTL_SECONDS = 120;
const COOKIE_PREFIX = "sortie-flash.";

/** Stores the flash of a plain form post, addressed to the page `back` (a same-origin path). */
export async function saveFlash(flash: Omit<Flash, "at">, back: string): Promise<void> {
  const event = getRequestEvent();
  const nonce = randomBase64Url(16);
  try {
    // A new nonce: no one can have retired it, so the store need not check (known: false).
    await storeOf(event).write(await recordKey("flash", nonce), JSON.stringify({ ...flash, at: Date.now() } satisfies Flash), FLASH_TTL_SECONDS, false);
  } catch (error) {
    throw error instanceof SessionStoreError ? new FlashNotSavedError(error) : error;
  }
  cookies().set(cookieName(event, nonce), back, { maxAge: FLASH_TTL_SECONDS });
}

/**
 * In a page render (GET): the flashes addressed to this page, oldest first; their cookies are
 * deleted. No flash cookie for this page, no store read.
 */
export async function takeFlashes(event: RequestEvent): Promise<Flash[]> {
  const jar = cookies();
  const here = pagePath(event.url);
  const prefix = cookieName(event, "");
  const mine = jar.getAll().filter(({ name, value }) => name.startsWith(prefix) && samePage(value, event.url, here));
  if (mine.length === 0) return [];
  const store = storeOf(event);
  const flashes = await Promise.all(
    mine.map(async ({ name }) => {
      jar.delete(name);
      const json = await store.read(await recordKey("flash", name.slice(prefix.length)));
      return typeof json === "string" ? storedFlash(json) : undefined;
    }),
  );
  return flashes.filter((flash): flash is Flash => flash !== undefined).sort((a, b) => a.at - b.at);
}

/** Whether the request may carry a flash cookie: most carry none, and need no cookie jar. */
export function mayCarryFlashes(event: RequestEvent): boolean {
  return event.request.headers.get("Cookie")?.includes(COOKIE_PREFIX) ?? false;
}

function storeOf(event: RequestEvent): SessionStore {
  return resolveSessionConfig({}, appSessionDefaults(event), event).store;
}

// `__Host-` on https: a sibling subdomain can neither set nor overwrite it.
function cookieName(event: RequestEvent, nonce: string): string {
  return `${event.url.protocol === "https:" ? "__Host-" : ""}${COOKIE_PREFIX}${nonce}`;
}

const pagePath = (url: URL) => url.pathname + url.search;

function samePage(path: string, url: URL, here: string): boolean {
  return URL.canParse(path, url) && pagePath(new URL(path, url)) === here;
}

// The store holds what saveFlash wrote; anything else counts as no flash.
function storedFlash(json: string): Flash | undefined {
  try {
    const flash = JSON.parse(json) as Partial<Flash> | null;
    const valid =
      typeof flash?.id === "string" &&
      typeof flash.at === "number" &&
      (flash.bound === undefined || typeof flash.bound === "string") &&
      (flash.sealed === undefined || typeof flash.sealed === "boolean") &&
      typeof flash.value === "object" &&
      flash.value !== null;
    return valid ? (flash as Flash) : undefined;
  } catch {
    return undefined;
  }
}
