// The theme the `theme` cookie asks for (home/actions.ts toggles it). Server-only.
import { cookies } from "sortie";
import type { Theme } from "./home/actions.ts";

export function currentTheme(): Theme {
  return cookies().get("theme") === "dark" ? "dark" : "light";
}
