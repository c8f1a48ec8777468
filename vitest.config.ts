import { configDefaults, defineConfig } from "vitest/config";

/** The HTTP API tests, which the api-dynamodb project runs a second time on DynamoDB Local. */
const API_TESTS = ["test/handlers/http/**/*.test.ts", "test/main/server.test.ts"];

export default defineConfig({
  test: {
    // One DynamoDB Local (a JVM) for the whole run; test files make tables of their own on it.
    globalSetup: ["test/support/dynamodb-global-setup.ts"],
    testTimeout: 30_000,
    pool: "threads",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          // Browser tests have their own config (vitest.e2e.config.ts): one Chromium at a time.
          exclude: [...configDefaults.exclude, "test/e2e/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "api-dynamodb",
          include: API_TESTS,
          setupFiles: ["test/support/dynamodb-api-setup.ts"],
        },
      },
    ],
  },
});
