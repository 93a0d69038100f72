// The home page: sign-in (a plain form), and the Next.js examples that call server functions
// from client code: a like button (event handler), a view counter (effect), a theme toggle
// (cookies). Each of the three is an island; the rest is server-rendered HTML.
import { island } from "sortie";
import { signIn } from "../auth/actions.ts";
import { currentTheme } from "../theme.ts";
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
          </form>
        </div>
        <p class="signed-in-only" data-testid="welcome">
          Welcome, <ViewerName />. You can now <a href="/posts">write posts</a>.
        </p>
      </section>

      <div class="grid">
        <section class="card">
          <h2>Likes</h2>
          <LikeButton initialLikes={counts.likes} />
        </section>
        <section class="card">
          <h2>Views</h2>
          <ViewCount initialViews={counts.views} />
        </section>
        <section class="card">
          <h2>Theme</h2>
          <ThemeToggle theme={currentTheme()} />
        </section>
      </div>
    </>
  );
}
