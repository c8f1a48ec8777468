import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Browser tests have their own config (vitest.e2e.config.ts): one Chromium at a time.
    exclude: [...configDefaults.exclude, "test/e2e/**"],
    testTimeout: 30_000,
    pool: "threads",
  },
});
