// Whether a path stays on this site. Shared by redirect() (both sides) and the way back of a
// plain form post (worker/forms/return-path.ts).

// C0 controls and DEL: URL parsers drop tabs and newlines, so "/\t/evil.example" means "//evil.example".
const CONTROL = /[\u0000-\u001f\u007f]/;
// A path a browser reads as "//host" (protocol-relative): backslashes count as slashes.
const leadsAway = (path: string) => /^\/[/\\]/.test(path);

/**
 * `value` as a path on `base`'s origin, or undefined when it is not one or could be read as
 * leading elsewhere: it must start with `/`, hold no control character, resolve on the same
 * origin, and neither its resolved path nor that path percent-decoded (as often as it decodes:
 * `/%252F%252Fevil.example`) may start with `//` or `/\` or hold a control character.
 * So `//evil.example`, `/\evil.example`, `https://evil.example`, `javascript:…`,
 * `/%2F%2Fevil.example`, `/%5Cevil.example`, `/.//evil.example` and `/%09/evil.example` are refused.
 */
export function sameOriginPath(value: string, base: URL): string | undefined {
  if (!value.startsWith("/") || CONTROL.test(value) || !URL.canParse(value, base)) return undefined;
  const url = new URL(value, base);
  const decoded = decodeFully(url.pathname);
  if (url.origin !== base.origin || decoded === undefined || CONTROL.test(decoded) || leadsAway(url.pathname) || leadsAway(decoded)) {
    return undefined;
  }
  return url.pathname + url.search + url.hash;
}

/** Percent-decodes until the text stops changing; undefined when it is malformed or keeps changing. */
function decodeFully(text: string): string | undefined {
  for (let round = 0; round < 8; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(text);
    } catch {
      return undefined;
    }
    if (decoded === text) return text;
    text = decoded;
  }
  return undefined;
}
