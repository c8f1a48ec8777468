/**
 * The test kit's public entry, for code outside the test suites (bench/, scripts/): the software
 * authenticator, the manual clock, the hand-built domain, the builders and routes, DynamoDB Local.
 * Test files may import the individual modules beside this one.
 */
export * from "./kit.js";
export * from "./software-authenticator.js";
export * from "./manual-clock.js";
export * from "./domain-harness.js";
export * from "./fake-identity-provider.js";
export * from "./dynamodb-local.js";
