// The environment every wrangler the project starts runs with: fully local, nothing sent out.
// - no usage metrics
// - no fetch of the `Request.cf` placeholder from Cloudflare (local requests get a default one)
export function wranglerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", ...extra };
}
