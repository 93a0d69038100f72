import { encodeBase64Url, utf8 } from "./bytes.ts";

/** An AES-256-GCM key derived from one session password, and the id cookies name it by. */
export interface SessionKey {
  /** 8 base64url characters, derived from the password (not a hash of it). */
  readonly id: string;
  readonly key: CryptoKey;
}

// Fixed HKDF salt and per-purpose info strings: the same password always gives the same key
// (every isolate must agree), and the key id and the cipher key are independent outputs.
const SALT = utf8("sortie/session/v1");
const CIPHER_INFO = utf8("sortie/session/v1/aes-256-gcm");
const KEY_ID_INFO = utf8("sortie/session/v1/key-id");

// Derived keys live for the isolate, keyed by password, so requests skip HKDF. Passwords come
// from configuration, so a handful at most; the bound only guards against misuse.
const MAX_CACHED_KEYS = 16;
const cache = new Map<string, Promise<SessionKey>>();

export function deriveSessionKey(password: string): Promise<SessionKey> {
  let derived = cache.get(password);
  if (!derived) {
    if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
    derived = derive(password);
    cache.set(password, derived);
    derived.catch(() => cache.delete(password));
  }
  return derived;
}

async function derive(password: string): Promise<SessionKey> {
  const material = await crypto.subtle.importKey("raw", utf8(password), "HKDF", false, [
    "deriveKey",
    "deriveBits",
  ]);
  const hkdf = (info: Uint8Array<ArrayBuffer>) => ({ name: "HKDF", hash: "SHA-256", salt: SALT, info });
  const [key, idBits] = await Promise.all([
    crypto.subtle.deriveKey(hkdf(CIPHER_INFO), material, { name: "AES-GCM", length: 256 }, false, [
      "encrypt",
      "decrypt",
    ]),
    crypto.subtle.deriveBits(hkdf(KEY_ID_INFO), material, 48),
  ]);
  return { id: encodeBase64Url(new Uint8Array(idBits)), key };
}
