import { encodeBase64Url, utf8 } from "./bytes.ts";

/** An AES-256-GCM key derived from one password for one purpose, and the id sealed values name it by. */
export interface SessionKey {
  /** 8 base64url characters, derived from the password (not a hash of it). */
  readonly id: string;
  readonly key: CryptoKey;
}

/**
 * What a key seals. Each purpose has its own HKDF salt and info strings, so one password gives
 * unrelated keys: a sealed reference never opens as a session cookie, nor the reverse.
 */
export type KeyPurpose = "session" | "reference";

// Fixed HKDF salt and per-purpose info strings: the same password always gives the same key
// (every isolate must agree), and the key id and the cipher key are independent outputs.
const INFO = {
  session: { salt: utf8("sortie/session/v1"), cipher: utf8("sortie/session/v1/aes-256-gcm"), keyId: utf8("sortie/session/v1/key-id") },
  reference: { salt: utf8("sortie/reference/v1"), cipher: utf8("sortie/reference/v1/aes-256-gcm"), keyId: utf8("sortie/reference/v1/key-id") },
};

// Derived keys live for the isolate, keyed by purpose and password, so requests skip HKDF.
// Passwords come from configuration, so a handful at most; the bound only guards against misuse.
const MAX_CACHED_KEYS = 16;
const cache = new Map<string, Promise<SessionKey>>();

export function deriveSessionKey(password: string): Promise<SessionKey> {
  return deriveKey(password, "session");
}

export function deriveKey(password: string, purpose: KeyPurpose): Promise<SessionKey> {
  const cacheKey = `${purpose}\n${password}`;
  let derived = cache.get(cacheKey);
  if (!derived) {
    if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
    derived = derive(password, INFO[purpose]);
    cache.set(cacheKey, derived);
    derived.catch(() => cache.delete(cacheKey));
  }
  return derived;
}

async function derive(password: string, { salt: SALT, cipher: CIPHER_INFO, keyId: KEY_ID_INFO }: (typeof INFO)[KeyPurpose]): Promise<SessionKey> {
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
