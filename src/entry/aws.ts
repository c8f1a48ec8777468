/**
 * `keyport/aws`: keyport on AWS. The DynamoDB stores and their table designs, the Cognito identity
 * provider, ceremony counts as CloudWatch metrics (Powertools, EMF), and the Lambda handler factories
 * that keyport's own functions are made of: a function of yours is
 * `export const handler = await lambdaHttpApiHandler(process.env);`, configured by the environment the
 * `keyport/cdk` construct sets.
 */
export { createDynamoDbClient, type DynamoDbClientOptions } from "../adapters/dynamodb/dynamodb-client.js";
export { DynamoDbSessionStore, type DynamoDbSessionStoreOptions } from "../adapters/dynamodb/dynamodb-session-store.js";
export { DynamoDbCredentialStore, type DynamoDbCredentialStoreOptions } from "../adapters/dynamodb/dynamodb-credential-store.js";
export { DynamoDbSecurityEventLog, type DynamoDbSecurityEventLogOptions } from "../adapters/dynamodb/dynamodb-security-event-log.js";
export { DynamoDbIdentityUserDirectory, type DynamoDbIdentityUserDirectoryOptions } from "../adapters/dynamodb/dynamodb-identity-user-directory.js";
export {
  CREDENTIAL_TABLE,
  EVENT_TABLE,
  SESSION_TABLE,
  createTables,
  type KeyAttributeType,
  type TableDesign,
  type TableNames,
} from "../adapters/dynamodb/dynamodb-tables.js";
export { CognitoIdentityProvider, type CognitoIdentityProviderOptions } from "../adapters/cognito/cognito-identity-provider.js";
export { CEREMONY_COUNT_METRIC, METRICS_NAMESPACE, METRICS_SERVICE, PowertoolsCeremonyMetrics } from "../adapters/powertools/powertools-ceremony-metrics.js";
export { createHttpApiHandler, type ApiGatewayV2Event, type ApiGatewayV2Result, type HttpApiHandler } from "../handlers/lambda/http-api-handler.js";
export { lambdaHttpApiHandler } from "../composition/lambda-http-api.js";
export { lambdaDefineAuthChallengeHandler } from "../composition/lambda-define-auth-challenge.js";
export { lambdaCreateAuthChallengeHandler, lambdaVerifyAuthChallengeResponseHandler, type HandlerOptions } from "../composition/lambda-triggers.js";
export type { LambdaCompositionOptions, SecretReader } from "../composition/lambda-secrets.js";
// FIDO metadata on AWS (ADR 0027): the refresh function the stack schedules, and the snapshot it writes.
export { lambdaMdsRefreshHandler, type MdsRefreshOptions } from "../composition/lambda-mds-refresh.js";
export { S3Mds3Source, type S3Mds3SourceOptions } from "../adapters/s3/s3-mds3-source.js";
export { SigV4S3ObjectReader, type S3ObjectReader, type S3ObjectRead, type S3Credentials, type SigV4S3ObjectReaderOptions } from "../adapters/s3/sigv4-s3-object-reader.js";
