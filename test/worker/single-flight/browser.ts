import { vi } from "vitest";
import { ORIGIN } from "../endpoint/serve.ts";

export interface FakeLocation {
  href: string;
  origin: string;
  pathname: string;
  search: string;
  hash: string;
  assign: ReturnType<typeof vi.fn<(url: string) => void>>;
  reload(): void;
}

/**
 * Puts the client on a page: workerd has no `location`, so the stub (X-Sortie-Page) and the
 * router (redirects) read this one. `assign` records navigations instead of leaving.
 */
export function visit(path: string): FakeLocation {
  const url = new URL(path, ORIGIN);
  const location: FakeLocation = {
    href: url.href,
    origin: url.origin,
    pathname: url.pathname,
    search: url.search,
    hash: url.hash,
    assign: vi.fn<(url: string) => void>(),
    reload: () => {
      throw new Error("unexpected reload");
    },
  };
  Object.defineProperty(globalThis, "location", { value: location, configurable: true, writable: true });
  return location;
}

export function leave(): void {
  Reflect.deleteProperty(globalThis, "location");
}
