import { encodeArguments } from "../../common/wire.ts";
import type { RequestEvent } from "../request/context.ts";
import { BadSealError, StaleReferenceError } from "../request/errors.ts";
import { utf8 } from "../session/bytes.ts";
import { deriveKey, type SessionKey } from "../session/keys.ts";
import { sessionPasswords } from "../session/options.ts";
import { SessionConfigError } from "../session/errors.ts";
import { seal, unseal } from "../session/seal.ts";

/**
 * Sealed arguments: the values a closure captured and, under `sealBoundArguments`, the
 * arguments bound with `.with(…)`, as they travel to the browser and back. AES-256-GCM (the
 * session's sealing, session/seal.ts) under keys derived from the session passwords with their
 * own HKDF info (session/keys.ts, purpose "reference"): the first password seals, any opens.
 * The function's id is authenticated with them, so a seal cut from one function's URL does not
 * open for another.
 */

/** The longest sealed value accepted or made: it travels in a URL. */
export const MAX_SEALED_LENGTH = 8 * 1024;

export class SealedTooLargeError extends Error {
  override name = "SealedTooLargeError";
}

function referenceKeys(event: RequestEvent): Promise<SessionKey[]> {
  return Promise.all(sessionPasswords(event).map((password) => deriveKey(password, "reference")));
}

const context = (id: string) => `reference|${id}`;
const decoder = new TextDecoder();

/**
 * `values` sealed for the function `id` (the seroval JSON of the list, encrypted). What is too
 * large to seal fails at once, before anything awaits: a page fails while it renders, never
 * halfway through its stream.
 */
export function sealArguments(event: RequestEvent, id: string, values: readonly unknown[]): Promise<string> {
  const plaintext = utf8(encodeArguments(values));
  // The sealed form: "v1." + key id + "." + iv + "." + base64url of the text and the 16-byte tag.
  const length = 3 + 8 + 1 + 16 + 1 + Math.ceil(((plaintext.length + 16) * 4) / 3);
  if (length > MAX_SEALED_LENGTH) {
    throw new SealedTooLargeError(
      `The values sealed into a reference to ${JSON.stringify(id)} would take ${length} characters, over ${MAX_SEALED_LENGTH}: they travel in a URL; capture or bind less (an id rather than a record)`,
    );
  }
  return referenceKeys(event).then(([key]) => seal(plaintext, key!, context(id)));
}

/** The seroval JSON text sealed in `sealed` for the function `id`; a 400 for anything that does not open. */
export async function openArguments(event: RequestEvent, id: string, sealed: string): Promise<string> {
  if (sealed.startsWith("~")) {
    throw new BadSealError(`The sealed arguments were never filled in (${sealed}): the reference was rendered where Sortie does not seal, outside a form's action or a button's formaction; pass the reference itself there, or to an island`);
  }
  if (sealed.length > MAX_SEALED_LENGTH) throw new BadSealError(`The sealed arguments are longer than ${MAX_SEALED_LENGTH} characters`);
  let keys: SessionKey[];
  try {
    keys = await referenceKeys(event);
  } catch (error) {
    // No secret, so this app sealed nothing: whatever a request brings is not a seal of ours.
    if (error instanceof SessionConfigError) throw new BadSealError(`The sealed arguments of ${JSON.stringify(id)} do not open`);
    throw error;
  }
  const opened = await unseal(sealed, keys, context(id), MAX_SEALED_LENGTH);
  if (opened) return decoder.decode(opened.plaintext);
  const [version, keyId] = sealed.split(".");
  if (version === "v1" && keyId && !keys.some((key) => key.id === keyId)) throw new StaleReferenceError();
  throw new BadSealError(`The sealed arguments of ${JSON.stringify(id)} do not open: they were changed, cut short, or sealed for another function`);
}
