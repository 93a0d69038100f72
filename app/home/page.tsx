// The home page: sign-in (a plain form), and the Next.js examples that call server functions
// from client code: a like button (event handler), a view counter (effect), a theme toggle
// (cookies). Each of the three is an island; the rest is server-rendered HTML.
import type { Child } from "hono/jsx";
import { island } from "sortie";
import { signIn } from "../auth/actions.ts";
import { currentTheme } from "../theme.ts";
import { FormError } from "../ui/form-error.tsx";
import { ViewerName } from "../ui/viewer.tsx";
import { readCounters } from "./counters.ts";
import LikeButtonComponent from "./like-button.tsx";
import ThemeToggleComponent from "./theme-toggle.tsx";
import ViewCountComponent from "./view-count.tsx";

const LikeButton = island("LikeButton", LikeButtonComponent);
const ViewCount = island("ViewCount", ViewCountComponent);
const ThemeToggle = island("ThemeToggle", ThemeToggleComponent);

export async function HomePage() {
  const counts = await readCounters();
  return (
    <>
      <section class="intro">
        <h1>Sortie demo</h1>
        <p>
          Every button here calls a <code>"use server"</code> function on the Worker. With JavaScript each change is one
          request that also brings back the page's fresh data; without it, the forms still work.
        </p>
      </section>

      <section class="card" id="sign-in">
        <div class="signed-out-only">
          <h2>Sign in</h2>
          <form class="inline-form" method="post" action={signIn}>
            <label for="sign-in-name">Your name</label>
            <input id="sign-in-name" name="name" placeholder="Ada" required maxlength={40} autocomplete="nickname" />
            <button type="submit">Sign in</button>
            <p class="field-issue" data-sortie-issue="name"></p>
            <FormError action={signIn} />
          </form>
        </div>
        <p class="signed-in-only" data-testid="welcome">
          Welcome, <ViewerName />. You can now <a href="/posts">write posts</a>.
        </p>
      </section>

      <div class="grid">
        <Example title="Likes" hint={<><code>onClick</code> calls <code>incrementLike()</code></>}>
          <LikeButton initialLikes={counts.likes} />
        </Example>
        <Example title="Views" hint={<><code>useEffect</code> calls <code>incrementViews()</code></>}>
          <ViewCount initialViews={counts.views} />
        </Example>
        <Example title="Theme" hint={<><code>cookies()</code>: get, set, delete</>}>
          <ThemeToggle theme={currentTheme()} />
        </Example>
      </div>
    </>
  );
}

/** A card for one seed example: its name, how it calls the server, the island. */
function Example({ title, hint, children }: { title: string; hint: Child; children: Child }) {
  return (
    <section class="card">
      <h2>{title}</h2>
      <p class="hint">{hint}</p>
      {children}
    </section>
  );
}
