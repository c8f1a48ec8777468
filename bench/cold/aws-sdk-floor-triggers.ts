/**
 * A floor for `npm run bench:cold`: only the AWS SDK clients the Create and Verify triggers load
 * (DynamoDB, Secrets Manager), constructed as keyport constructs them, and nothing of keyport. What a
 * trigger bundle costs above this is keyport's own code.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const dynamoDb = new DynamoDBClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true } });

export async function handler(event: { readonly secretArn: string }): Promise<unknown> {
  const secrets = new SecretsManagerClient({});
  return [dynamoDb, await secrets.send(new GetSecretValueCommand({ SecretId: event.secretArn }))];
}
