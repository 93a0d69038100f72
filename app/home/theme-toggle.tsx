// The theme lives in a cookie the server function reads, sets and deletes. With JavaScript
// the click handler applies the theme it returns; without, the form posts and the page the
// browser lands on is rendered in the new theme.
import { useState } from "hono/jsx";
import { toggleTheme, type Theme } from "./actions.ts";

export default function ThemeToggle({ theme }: { theme: Theme }) {
  const [current, setCurrent] = useState(theme);
  const next = current === "dark" ? "light" : "dark";
  return (
    <form method="post" action={toggleTheme} class="counter">
      <p data-testid="theme">Theme: {current}</p>
      <button
        type="submit"
        onClick={async (event: Event) => {
          event.preventDefault();
          const applied = await toggleTheme();
          document.querySelector("[data-theme]")?.setAttribute("data-theme", applied);
          setCurrent(applied);
        }}
      >
        Switch to {next}
      </button>
    </form>
  );
}
