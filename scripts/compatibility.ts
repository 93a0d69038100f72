// The compatibility date and flags of the project's wrangler.toml, for the throwaway projects
// and Miniflare instances that tests and benchmarks start: one place to change them.
import { unstable_readConfig } from "wrangler";
import { fileURLToPath } from "node:url";

export interface Compatibility {
  date: string;
  flags: string[];
}

export function projectCompatibility(): Compatibility {
  const config = unstable_readConfig({ config: fileURLToPath(new URL("../wrangler.toml", import.meta.url)) });
  if (!config.compatibility_date) throw new Error("wrangler.toml has no compatibility_date");
  return { date: config.compatibility_date, flags: config.compatibility_flags ?? [] };
}
