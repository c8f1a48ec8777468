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

/**
 * Each vitest project runs the global setup of the config it extends; one JVM serves them all, started
 * by the first and stopped when the last is done (the setups run in the one runner process).
 */
interface SharedInstance {
  readonly local: Promise<{ readonly endpoint: string; stop(): Promise<void> }>;
  users: number;
}
const shared = globalThis as typeof globalThis & { __keyportDynamoDbLocal?: SharedInstance };

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const existing = process.env.DYNAMODB_TEST_ENDPOINT;
  if (existing !== undefined && existing !== "") {
    project.provide("dynamoDbEndpoint", existing);
    return undefined;
  }
  let instance = shared.__keyportDynamoDbLocal;
  if (instance === undefined) {
    const started = Date.now();
    const local = startDynamoDbLocal();
    instance = { local, users: 0 };
    shared.__keyportDynamoDbLocal = instance;
    void local.then(
      (running) => console.log(`DynamoDB Local for this run: ${running.endpoint} (started in ${Date.now() - started} ms)`),
      () => {},
    );
  }
  const current = instance;
  current.users += 1;
  project.provide("dynamoDbEndpoint", (await current.local).endpoint);
  return async () => {
    current.users -= 1;
    if (current.users > 0) return;
    shared.__keyportDynamoDbLocal = undefined;
    await (await current.local).stop();
  };
}
