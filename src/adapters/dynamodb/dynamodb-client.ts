/**
 * The DynamoDB client the stores share, configured so that an unreachable or slow DynamoDB becomes a
 * prompt StorageUnavailableError (HTTP 503) rather than a request that hangs until the caller gives up.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export interface DynamoDbClientOptions {
  /** DynamoDB Local or another non-AWS endpoint; null or omitted for the region's own endpoint. */
  readonly endpoint?: string | null;
  /** Omitted: the SDK's (AWS_REGION, set in Lambda); us-east-1 for a local endpoint. */
  readonly region?: string | null;
  /** Attempts per request, the first included (the SDK's standard retry mode, with backoff). */
  readonly maxAttempts?: number;
  /** Per attempt. DynamoDB answers in milliseconds; seconds mean something is wrong. */
  readonly requestTimeoutMs?: number;
  readonly connectionTimeoutMs?: number;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function createDynamoDbClient(options: DynamoDbClientOptions = {}): DynamoDBClient {
  const endpoint = options.endpoint ?? undefined;
  const local = endpoint !== undefined && LOCAL_HOSTS.has(new URL(endpoint).hostname);
  return new DynamoDBClient({
    endpoint,
    region: options.region ?? (local ? "us-east-1" : undefined),
    // DynamoDB Local accepts any credentials; a laptop should not need AWS ones to run keyport against it.
    ...(local ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 1_000,
      requestTimeout: options.requestTimeoutMs ?? 3_000,
      // Without it the SDK only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
    },
  });
}
