import { decodeBase64Url, encodeBase64Url, utf8 } from "./bytes.ts";
import type { SessionKey } from "./keys.ts";

// A sealed value is `v1.<key id>.<iv>.<ciphertext>`, each part base64url: AES-256-GCM with a
// fresh 96-bit IV per seal. The version, the key id and the caller's context (the cookie
// name) are authenticated as additional data, so a value cut from another cookie, or with
// its header edited, fails to open.
const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Far above any session value Sortie seals; longer input is rejected before any crypto work.
const MAX_SEALED_LENGTH = 1024;

export async function seal(plaintext: Uint8Array<ArrayBuffer>, key: SessionKey, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(key, context) },
    key.key,
    plaintext,
  );
  return `${VERSION}.${key.id}.${encodeBase64Url(iv)}.${encodeBase64Url(new Uint8Array(ciphertext))}`;
}

export interface Unsealed {
  plaintext: Uint8Array;
  /** The key that opened it: not the first one means the value should be sealed again. */
  key: SessionKey;
}

/** Opens a value sealed by any of `keys`; undefined for anything else (never throws on input). */
export async function unseal(sealed: string, keys: readonly SessionKey[], context: string, maxLength = MAX_SEALED_LENGTH): Promise<Unsealed | undefined> {
  if (sealed.length > maxLength) return undefined;
  const [version, keyId, ivText, ciphertextText, ...rest] = sealed.split(".");
  if (version !== VERSION || rest.length > 0 || ivText === undefined || ciphertextText === undefined) return undefined;
  const key = keys.find((candidate) => candidate.id === keyId);
  const iv = decodeBase64Url(ivText);
  const ciphertext = decodeBase64Url(ciphertextText);
  if (!key || iv?.length !== IV_BYTES || !ciphertext || ciphertext.length < TAG_BYTES) return undefined;
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: additionalData(key, context) },
      key.key,
      ciphertext,
    );
    return { plaintext: new Uint8Array(plaintext), key };
  } catch {
    return undefined; // authentication failed: tampered, truncated or sealed elsewhere
  }
}

function additionalData(key: SessionKey, context: string): Uint8Array<ArrayBuffer> {
  return utf8(`${VERSION}.${key.id}|${context}`);
}
