/**
 * Where the public keys that verify a user pool's tokens come from. An interface of the Cognito
 * adapter (not a port): tests hand it keys directly, production fetches the pool's JWKS.
 */
export interface JwksSource {
  /** The keys currently published. Throws when they cannot be had (an infrastructure fault). */
  getKeys(): Promise<JsonWebKey[]>;
}

/** The URL at which Cognito publishes a user pool's signing keys. */
export function cognitoJwksUrl(region: string, userPoolId: string): string {
  return `${cognitoIssuer(region, userPoolId)}/.well-known/jwks.json`;
}

/** The `iss` of every token a user pool issues. */
export function cognitoIssuer(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

export interface CognitoJwksSourceOptions {
  /** Normally `cognitoJwksUrl(region, userPoolId)`. */
  readonly url: string;
  /** For the whole request, body included: a hanging endpoint must not hold requests that wait for keys. */
  readonly timeoutMs?: number;
}

/** Fetches a user pool's JWKS with the platform `fetch`. Caching is the caller's (the key is needed only on a miss). */
export class CognitoJwksSource implements JwksSource {
  private readonly timeoutMs: number;

  constructor(private readonly options: CognitoJwksSourceOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async getKeys(): Promise<JsonWebKey[]> {
    const { url } = this.options;
    const response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(this.timeoutMs) });
    if (!response.ok) throw new Error(`JWKS ${url} answered HTTP ${response.status}`);
    const body: unknown = await response.json();
    const keys = isObject(body) ? body.keys : undefined;
    if (!Array.isArray(keys)) throw new Error(`JWKS ${url} has no "keys" array`);
    return keys.filter(isObject) as JsonWebKey[];
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
