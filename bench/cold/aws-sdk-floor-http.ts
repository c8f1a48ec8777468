/**
 * A floor for `npm run bench:cold`: only the AWS SDK clients the HTTP API function loads (DynamoDB,
 * Cognito, Secrets Manager), constructed as keyport constructs them, and nothing of keyport.
 */
import { CognitoIdentityProviderClient, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const dynamoDb = new DynamoDBClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true } });
const cognito = new CognitoIdentityProviderClient({});

export async function handler(event: { readonly secretArn: string; readonly clientId: string }): Promise<unknown> {
  const secrets = new SecretsManagerClient({});
  return [
    dynamoDb,
    await secrets.send(new GetSecretValueCommand({ SecretId: event.secretArn })),
    await cognito.send(new InitiateAuthCommand({ AuthFlow: "CUSTOM_AUTH", ClientId: event.clientId })),
  ];
}
