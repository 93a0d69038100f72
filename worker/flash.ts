import type { SerovalJSON } from "seroval";
import { getRequestEvent } from "./context.ts";
import { cookies } from "./cookies.ts";
import { useSession } from "./session/session.ts";

/**
 * The one-time flash that carries a plain form post's outcome to the next page render.
 *
 * It lives in the KV session (the app's default session), so its size has no cookie limit and
 * nobody can forge or read it, and it is written by the session's one write of the post. A
 * small cookie holds only a random nonce naming the unread flash: page renders without it never
 * touch KV, and the render that shows the flash needs no KV write to mark it read (it
 * overwrites the cookie). KV accepts one write per second per key and that render comes
 * milliseconds after the post's write, so the read flash is removed from the session by the
 * first render at least FLASH_SETTLE_MS after the post; its cookie says so until then.
 */
export interface Flash {
  /** The server function's id, and its bound arguments' JSON (from the form's URL). */
  id: string;
  bound: string | undefined;
  /** seroval JSON of the submission (common/forms.ts StoredSubmission). */
  value: SerovalJSON;
}

interface StoredFlash extends Flash {
  /** The nonce the cookie names while the flash is unread. */
  nonce: string;
  /** When it was written (ms since the epoch). */
  at: number;
}

/** The session field holding the flash. Reserved: apps see it in `session.data`, and must leave it alone. */
export const FLASH_FIELD = "$sortie.flash";
/** Past this age a second session write is safe from KV's one-write-per-second limit. */
export const FLASH_SETTLE_MS = 2_000;
/** The cookie's lifetime: an unread flash older than this is never shown. */
const COOKIE_MAX_AGE = 60 * 60;
/** The cookie's value once the flash was shown and still waits to be removed. */
const READ = "read";

/** Puts the flash into the session (saved with the request's one session write) and names it unread. */
export async function saveFlash(flash: Flash): Promise<void> {
  const nonce = crypto.randomUUID();
  const session = await useSession();
  session.update({ [FLASH_FIELD]: { ...flash, nonce, at: Date.now() } satisfies StoredFlash });
  cookies().set(cookieName(), nonce, { maxAge: COOKIE_MAX_AGE });
}

/**
 * In a page render: the unread flash the request's cookie names, if any (then marked read).
 * A flash already shown, or one the cookie does not name, is removed from the session once
 * it is FLASH_SETTLE_MS old. No cookie, no KV read.
 */
export async function takeFlash(): Promise<Flash | undefined> {
  const jar = cookies();
  const name = cookieName();
  const marker = jar.get(name);
  if (marker === undefined) return undefined;
  const session = await useSession();
  const stored = storedFlash(session.data[FLASH_FIELD]);
  const unread = stored?.nonce === marker ? stored : undefined;
  if (!stored || Date.now() - stored.at >= FLASH_SETTLE_MS) {
    if (stored) session.update({ [FLASH_FIELD]: undefined });
    jar.delete(name);
  } else if (unread) {
    jar.set(name, READ, { maxAge: COOKIE_MAX_AGE });
  }
  return unread && { id: unread.id, bound: unread.bound, value: unread.value };
}

// `__Host-` on https: a sibling subdomain can neither set nor overwrite it.
function cookieName(): string {
  return getRequestEvent().url.protocol === "https:" ? "__Host-sortie-flash" : "sortie-flash";
}

// The session holds what saveFlash wrote; anything else (edited by hand) counts as no flash.
function storedFlash(value: unknown): StoredFlash | undefined {
  const flash = value as Partial<StoredFlash> | null | undefined;
  const valid =
    typeof flash?.nonce === "string" &&
    typeof flash.at === "number" &&
    typeof flash.id === "string" &&
    (flash.bound === undefined || typeof flash.bound === "string") &&
    typeof flash.value === "object" &&
    flash.value !== null;
  return valid ? (flash as StoredFlash) : undefined;
}
