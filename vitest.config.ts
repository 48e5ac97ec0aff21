import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
    globalSetup: ["test/helpers/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Tests reach their local receivers (test/helpers/receiver.ts) through the outbound
    // allow-list, as an administrator would (docs/deploy.md); test/security/ssrf.test.ts clears it.
    // A fixed secret key (docs/deploy.md), so stores opened by tests leave no key files behind;
    // test/security/secrets.test.ts unsets it to see one made on first start.
    env: {
      THROUGHLINE_OUTBOUND_ALLOW: "127.0.0.1,::1",
      THROUGHLINE_SECRET_KEY: "dGhyb3VnaGxpbmUtdGVzdC1rZXktMzItYnl0ZXMhISE=",
    },
  },
});
