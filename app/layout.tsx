// The frame of every page: navigation, who is signed in, the sign-out button, the theme.
import type { Child } from "hono/jsx";
import { signOut } from "./auth/actions.ts";
import { currentTheme } from "./theme.ts";
import { ViewerName } from "./ui/viewer.tsx";

export function Layout({ children }: { children: Child }) {
  return (
    <div class="app" data-theme={currentTheme()}>
      <header class="top">
        <a class="brand" href="/">Sortie</a>
        <nav>
          <a href="/">Home</a>
          <a href="/products">Products</a>
          <a href="/posts">Posts</a>
        </nav>
        <div class="account">
          <span class="signed-in-only">
            <ViewerName />
          </span>
          <form class="signed-in-only" method="post" action={signOut}>
            <button type="submit" class="link">Sign out</button>
          </form>
          <a class="signed-out-only" href="/#sign-in">Sign in</a>
        </div>
      </header>
      <main>{children}</main>
    </div>
  );
}
