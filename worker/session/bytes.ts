// Byte helpers for sealing. Unpadded base64url (RFC 4648 §5) is the alphabet cookies and KV
// keys carry unescaped; decoding is strict: anything outside the alphabet gives undefined, so
// garbage never throws (atob accepts the missing padding), and it accepts only the canonical
// spelling.

const VALID = /^[A-Za-z0-9_-]*$/;

export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/[+/=]/g, (c) => (c === "+" ? "-" : c === "/" ? "_" : ""));
}

export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  // A length of 1 mod 4 cannot come from any byte string.
  if (!VALID.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/[-_]/g, (c) => (c === "-" ? "+" : "/")));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Canonical only: unused low bits in the last character would give one value many spellings.
  return encodeBase64Url(bytes) === text ? bytes : undefined;
}

/** `length` random bytes as base64url: ids and salts. */
export function randomBase64Url(length: number): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(length)));
}

const encoder = new TextEncoder();

/** UTF-8 bytes, typed for WebCrypto (workers types give TextEncoder an ArrayBufferLike). */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}
