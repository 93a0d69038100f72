import { defineConfig } from "vitest/config";
import { cloudflareTest } from "@cloudflare/vitest-plugin";

// Miniflare stays local: it would otherwise fetch a `Request.cf` placeholder from Cloudflare.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

// Two projects: `worker` runs inside workerd with real KV and D1 (the vitest Workers
// plugin); `node` runs the build, the transform and the browser tests on Node.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: { SORTIE_ENV: "production", SESSION_SECRET: "test-secret-0123456789-abcdefghijklmnop" },
              // Miniflare's own Rate Limiting binding, with a limit small enough to reach.
              ratelimits: { TEST_LIMITER: { namespace_id: "1001", simple: { limit: 2, period: 60 } } },
            },
          }),
        ],
        test: { name: "worker", include: ["test/worker/**/*.test.{ts,tsx}"] },
      },
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.{ts,tsx}"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
