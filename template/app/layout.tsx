// The frame around every page.
import type { Child } from "hono/jsx";

export function Layout({ children }: { children: Child }) {
  return <main class="page">{children}</main>;
}
