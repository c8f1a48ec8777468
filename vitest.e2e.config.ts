import { defineConfig } from "vitest/config";

/**
 * Browser end-to-end tests (test/e2e): Debian's Chromium and keyport's server, in-process. One file
 * at a time in one forked worker: a browser per worker would crowd a 2-core machine, and forks keep
 * Chromium's child processes out of the test runner's own threads. Run: npm run test:e2e.
 */
/** The AWS SDK's Node-version warning, silenced by its documented switch (see vitest.config.ts). */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    env: { KEYPORT_E2E: "1" },
    pool: "forks",
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
