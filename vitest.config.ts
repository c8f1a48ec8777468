import { configDefaults, defineConfig } from "vitest/config";

/** The HTTP API tests, which the api-dynamodb project runs a second time on DynamoDB Local. */
const API_TESTS = ["test/handlers/http/**/*.test.ts", "test/main/server.test.ts"];

/**
 * The AWS SDK warns once per process and module copy (so once per test file) that its releases after
 * January 2027 need Node 22; this is its documented switch (aws/aws-sdk-js-v3#7983). Set here, in the
 * runner's own process, so that the global setup, every worker and every child process inherit it.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

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
