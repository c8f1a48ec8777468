/**
 * Vitest globalSetup: one DynamoDB Local for the whole test run (a JVM takes seconds to start), its
 * endpoint handed to the test files with `inject("dynamoDbEndpoint")`. Each file creates tables with
 * names of its own, so files can run in parallel against the one instance.
 *
 * DYNAMODB_TEST_ENDPOINT=http://localhost:8000 reuses an instance that is already running (`npm run
 * dynamodb:local`) instead of starting one.
 */
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "./dynamodb-local.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The DynamoDB Local endpoint of this test run; undefined when this globalSetup is not configured. */
    dynamoDbEndpoint: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const existing = process.env.DYNAMODB_TEST_ENDPOINT;
  if (existing !== undefined && existing !== "") {
    project.provide("dynamoDbEndpoint", existing);
    return undefined;
  }
  const started = Date.now();
  const local = await startDynamoDbLocal();
  console.log(`DynamoDB Local for this run: ${local.endpoint} (started in ${Date.now() - started} ms)`);
  project.provide("dynamoDbEndpoint", local.endpoint);
  return () => local.stop();
}
