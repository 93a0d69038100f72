// The browser entry: the stylesheet (built into a hashed file the page links), then start():
// warm cache, <QueryValue> updates, and the islands of the page, each loaded only where used.
import "./styles.css";
import { start } from "sortie/client";

start({
  islands: {
    LikeButton: () => import("./home/like-button.tsx"),
    ViewCount: () => import("./home/view-count.tsx"),
    ThemeToggle: () => import("./home/theme-toggle.tsx"),
    PostList: () => import("./posts/post-list.tsx"),
    SubmitButton: () => import("./ui/submit-button.tsx"),
  },
}).then(
  // A mark for tests and for your own scripts: the page's islands are up.
  () => document.documentElement.setAttribute("data-started", ""),
  (error: unknown) => console.error(error),
);
