import { decodeBase64Url, encodeBase64Url, randomBase64Url } from "./bytes.ts";
import type { SessionKey } from "./keys.ts";
import { seal, unseal } from "./seal.ts";

/** What the session cookie carries, sealed: the session id and when it stops being valid. */
export interface SessionTicket {
  /** 256 random bits, base64url. */
  id: string;
  /** Unix time in seconds. An expired ticket opens a fresh session without reading KV. */
  expiresAt: number;
}

export interface OpenedTicket extends SessionTicket {
  /** Sealed with an older password: seal it again with the newest. */
  stale: boolean;
}

const ID_BYTES = 32;
const PLAINTEXT_BYTES = ID_BYTES + 8;

export function newSessionId(): string {
  return randomBase64Url(ID_BYTES);
}

export function sealTicket(ticket: SessionTicket, key: SessionKey, cookieName: string): Promise<string> {
  const plaintext = new Uint8Array(PLAINTEXT_BYTES);
  plaintext.set(decodeBase64Url(ticket.id)!);
  new DataView(plaintext.buffer).setFloat64(ID_BYTES, ticket.expiresAt);
  return seal(plaintext, key, cookieName);
}

/** The ticket in a cookie value, or undefined when it is not one of ours or has expired. */
export async function openTicket(
  value: string,
  keys: readonly SessionKey[],
  cookieName: string,
  now: number,
): Promise<OpenedTicket | undefined> {
  const opened = await unseal(value, keys, cookieName);
  if (opened?.plaintext.length !== PLAINTEXT_BYTES) return undefined;
  const { plaintext } = opened;
  const expiresAt = new DataView(plaintext.buffer, plaintext.byteOffset).getFloat64(ID_BYTES);
  if (!(expiresAt > now)) return undefined;
  return { id: encodeBase64Url(plaintext.subarray(0, ID_BYTES)), expiresAt, stale: opened.key !== keys[0] };
}
