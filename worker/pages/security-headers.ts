import { SortieOptionsError } from "../options.ts";

/**
 * Headers every page Sortie renders carries. The CSP allows what Sortie's pages need and
 * nothing else: scripts and styles from the app's own origin (the entry module, island
 * chunks and the stylesheet are files under /assets/; the page data is JSON in a
 * non-executable script element, so no 'unsafe-inline'), calls back to the same origin, forms
 * posting to it, and no framing by anyone.
 */
export const DEFAULT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

/**
 * `createSortie({ securityHeaders })`: `false` sends none; an object changes the defaults
 * header by header (a string replaces one, `false` drops it, a new name adds one).
 */
export type SecurityHeadersOption = false | Readonly<Record<string, string | false>>;

/** The headers to send, checked once at startup. */
export function resolveSecurityHeaders(option: SecurityHeadersOption | undefined): readonly [string, string][] {
  if (option === false) return [];
  if (option !== undefined && (typeof option !== "object" || option === null || Array.isArray(option))) {
    throw new SortieOptionsError(`createSortie({ securityHeaders }): must be false or an object of header names to values or false (got ${JSON.stringify(option)})`);
  }
  const merged: Record<string, string | false> = { ...DEFAULT_SECURITY_HEADERS };
  for (const [name, value] of Object.entries(option ?? {})) {
    if (value !== false && typeof value !== "string") {
      throw new SortieOptionsError(`createSortie({ securityHeaders }): "${name}" must be a string, or false to send none (got ${JSON.stringify(value)})`);
    }
    // Case-insensitive names: a user's "content-security-policy" replaces the default.
    const existing = Object.keys(merged).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing) delete merged[existing];
    merged[name] = value;
  }
  const headers = Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== false);
  for (const [name, value] of headers) {
    try {
      new Headers([[name, value]]);
    } catch {
      throw new SortieOptionsError(`createSortie({ securityHeaders }): "${name}: ${value}" is not a valid header`);
    }
  }
  return headers;
}

/** Adds the headers a page did not set itself (a page may send its own CSP). */
export function applySecurityHeaders(headers: Headers, list: readonly [string, string][]): void {
  for (const [name, value] of list) if (!headers.has(name)) headers.set(name, value);
}
