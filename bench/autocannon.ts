// autocannon, typed: it ships no types. Only the options and figures the benchmarks use.
import { createRequire } from "node:module";

export interface LoadResult {
  requests: { total: number };
  latency: { mean: number; p50: number };
  errors: number;
  non2xx: number;
}

export type Autocannon = (
  options: { url: string; connections: number; duration: number } & ({ method: "POST"; headers: Record<string, string>; body: string } | { method?: "GET" }),
) => Promise<LoadResult>;

export const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
