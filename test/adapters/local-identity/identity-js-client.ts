/**
 * amazon-cognito-identity-js (the Cognito client Amplify v5 was built on) talking to a UserPool
 * in-process: its CognitoUserPool's HTTP client is replaced by one that hands each operation's JSON to
 * the port and the port's answer back as Cognito's JSON, so that the library's own code runs every
 * step (SRP, the claim, custom challenges, refresh, sign-out). The wire itself (AWS JSON 1.1 over
 * HTTP) is the Cognito API shell's business and is tested there.
 */
import { createHmac } from "node:crypto";
import {
  AuthenticationDetails,
  AuthenticationHelper,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  DateHelper,
  type CognitoUserSession,
  type ICognitoStorage,
} from "amazon-cognito-identity-js";
import type { AuthOutcome, UserPool, UserPoolResult } from "../../../src/ports/user-pool.js";

/**
 * Exported by the library at run time (its index.js) but missing from its type declarations: the SRP
 * helper CognitoUser signs in with, and the clock string it signs.
 */
declare module "amazon-cognito-identity-js" {
  export class AuthenticationHelper {
    constructor(poolName: string);
  }
  export class DateHelper {
    getNowString(): string;
  }
}

type Json = Record<string, unknown>;
type Callback = (error: unknown, data?: Json) => void;

/** An error as the library receives one from Cognito's endpoint. */
export interface CognitoError {
  readonly code: string;
  readonly name: string;
  readonly message: string;
}

class MapStorage implements ICognitoStorage {
  private readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

const record = (value: unknown): Record<string, string> => (typeof value === "object" && value !== null ? (value as Record<string, string>) : {});
const attributeList = (value: unknown): Record<string, string> =>
  Object.fromEntries((Array.isArray(value) ? (value as { Name: string; Value: string }[]) : []).map(({ Name, Value }) => [Name, Value]));

function outcomeJson(outcome: AuthOutcome): Json {
  if (outcome.kind === "challenge") return { ChallengeName: outcome.challengeName, Session: outcome.session, ChallengeParameters: outcome.challengeParameters };
  const { accessToken, idToken, refreshToken, expiresIn, tokenType } = outcome.authenticationResult;
  return {
    ChallengeParameters: {},
    AuthenticationResult: { AccessToken: accessToken, IdToken: idToken, ...(refreshToken === undefined ? {} : { RefreshToken: refreshToken }), ExpiresIn: expiresIn, TokenType: tokenType },
  };
}

/** Every request the library made, with its operation: for tests that check what it sent. */
export type Sent = { readonly operation: string; readonly params: Json }[];

async function call(pool: UserPool, operation: string, params: Json): Promise<Json> {
  const answer = <T>(result: UserPoolResult<T>, json: (value: T) => Json): Json => {
    if (!result.ok) throw { code: result.error.type, name: result.error.type, message: result.error.message } satisfies CognitoError;
    return json(result.value);
  };
  const clientId = String(params.ClientId ?? "");
  switch (operation) {
    case "SignUp":
      return answer(
        await pool.signUp({ clientId, username: String(params.Username), password: String(params.Password), userAttributes: attributeList(params.UserAttributes) }),
        (value) => ({ UserConfirmed: value.userConfirmed, UserSub: value.userSub }),
      );
    case "InitiateAuth":
      return answer(
        await pool.initiateAuth({ clientId, authFlow: params.AuthFlow as never, authParameters: record(params.AuthParameters), clientMetadata: record(params.ClientMetadata) }),
        outcomeJson,
      );
    case "RespondToAuthChallenge":
      return answer(
        await pool.respondToAuthChallenge({
          clientId,
          challengeName: params.ChallengeName as never,
          session: String(params.Session ?? ""),
          challengeResponses: record(params.ChallengeResponses),
          ...(params.ClientMetadata === undefined ? {} : { clientMetadata: record(params.ClientMetadata) }),
        }),
        outcomeJson,
      );
    case "GetUser":
      return answer(await pool.getUser({ accessToken: String(params.AccessToken) }), (value) => ({
        Username: value.username,
        UserAttributes: Object.entries(value.userAttributes).map(([Name, Value]) => ({ Name, Value })),
      }));
    case "GlobalSignOut":
      return answer(await pool.globalSignOut({ accessToken: String(params.AccessToken) }), () => ({}));
    case "RevokeToken":
      return answer(await pool.revokeToken({ clientId, token: String(params.Token) }), () => ({}));
    default:
      throw new Error(`the test client has no ${operation}`);
  }
}

/** A CognitoUserPool of the library whose requests go to `pool`, and what it sent. */
export function identityJsPool(pool: UserPool, clientId = pool.clientId): { readonly cognitoPool: CognitoUserPool; readonly sent: Sent } {
  const cognitoPool = new CognitoUserPool({ UserPoolId: pool.userPoolId, ClientId: clientId, Storage: new MapStorage() });
  const sent: Sent = [];
  const request = (operation: string, params: Json, callback: Callback): void => {
    // Through JSON both ways, as over the wire.
    const copy = JSON.parse(JSON.stringify(params)) as Json;
    sent.push({ operation, params: copy });
    call(pool, operation, copy).then(
      (data) => callback(null, JSON.parse(JSON.stringify(data)) as Json),
      (error: unknown) => callback(error),
    );
  };
  const promisifyRequest = (operation: string, params: Json): Promise<Json> =>
    new Promise((resolve, reject) => request(operation, params, (error, data) => (error ? reject(error) : resolve(data ?? {}))));
  // The library's only way out: its Client. Replaced whole, so nothing reaches the network.
  (cognitoPool as unknown as { client: unknown }).client = { request, requestWithRetry: request, promisifyRequest };
  return { cognitoPool, sent };
}

/** What a sign-in came to: tokens, a custom challenge's parameters, or Cognito's error. */
export type SignInResult = { readonly kind: "tokens"; readonly session: CognitoUserSession } | { readonly kind: "custom_challenge"; readonly parameters: Record<string, string> } | { readonly kind: "error"; readonly error: CognitoError };

function callbacks(resolve: (result: SignInResult) => void) {
  return {
    onSuccess: (session: CognitoUserSession) => resolve({ kind: "tokens", session }),
    onFailure: (error: CognitoError) => resolve({ kind: "error", error }),
    customChallenge: (parameters: Record<string, string>) => resolve({ kind: "custom_challenge", parameters }),
  };
}

/** One user of the library, as an app holds it across the steps of a sign-in. */
export class IdentityJsUser {
  readonly user: CognitoUser;

  constructor(cognitoPool: CognitoUserPool, username: string) {
    this.user = new CognitoUser({ Username: username, Pool: cognitoPool });
  }

  /** `authenticateUser` with USER_SRP_AUTH, USER_PASSWORD_AUTH, or CUSTOM_AUTH (which then starts with SRP_A). */
  signIn(flow: "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" | "CUSTOM_AUTH", password: string): Promise<SignInResult> {
    this.user.setAuthenticationFlowType(flow);
    const details = new AuthenticationDetails({ Username: this.user.getUsername(), Password: password });
    return new Promise((resolve) => this.user.authenticateUser(details, callbacks(resolve)));
  }

  /** CUSTOM_AUTH without SRP: `initiateAuth`. */
  signInCustom(): Promise<SignInResult> {
    this.user.setAuthenticationFlowType("CUSTOM_AUTH");
    const details = new AuthenticationDetails({ Username: this.user.getUsername() });
    return new Promise((resolve) => this.user.initiateAuth(details, callbacks(resolve)));
  }

  answer(answer: string, clientMetadata?: Record<string, string>): Promise<SignInResult> {
    return new Promise((resolve) => this.user.sendCustomChallengeAnswer(answer, callbacks(resolve), clientMetadata));
  }

  /** `refreshSession`: InitiateAuth REFRESH_TOKEN_AUTH. */
  refresh(refreshToken: string): Promise<{ readonly session?: CognitoUserSession; readonly error?: CognitoError }> {
    return new Promise((resolve) =>
      this.user.refreshSession(new CognitoRefreshToken({ RefreshToken: refreshToken }), (error: CognitoError | null, session: CognitoUserSession) =>
        resolve(error ? { error } : { session }),
      ),
    );
  }

  attributes(): Promise<{ readonly attributes?: Record<string, string>; readonly error?: CognitoError }> {
    return new Promise((resolve) =>
      this.user.getUserAttributes((error, list) =>
        resolve(error ? { error: error as unknown as CognitoError } : { attributes: Object.fromEntries((list ?? []).map((a) => [a.getName(), a.getValue()])) }),
      ),
    );
  }

  /** `signOut`: RevokeToken with the refresh token (the tokens carry `origin_jti`). */
  signOut(): Promise<void> {
    return new Promise((resolve) => this.user.signOut(() => resolve()));
  }

  globalSignOut(): Promise<CognitoError | null> {
    return new Promise((resolve) => this.user.globalSignOut({ onSuccess: () => resolve(null), onFailure: (error) => resolve(error as unknown as CognitoError) }));
  }
}

/** `CognitoUserPool.signUp`. */
export function identityJsSignUp(
  cognitoPool: CognitoUserPool,
  username: string,
  password: string,
  attributes: Record<string, string> = {},
): Promise<{ readonly userSub?: string; readonly confirmed?: boolean; readonly error?: CognitoError }> {
  const list = Object.entries(attributes).map(([Name, Value]) => new CognitoUserAttribute({ Name, Value }));
  return new Promise((resolve) =>
    cognitoPool.signUp(username, password, list, [], (error, result) =>
      resolve(error ? { error: error as unknown as CognitoError } : { userSub: result?.userSub, confirmed: result?.userConfirmed }),
    ),
  );
}

/** amazon-cognito-identity-js's AuthenticationHelper, for tests that send SRP steps one by one. */
interface Helper {
  readonly N: { constructor: new (hex: string, radix: number) => unknown };
  getLargeAValue(callback: (error: unknown, a: { toString(radix: number): string }) => void): void;
  getPasswordAuthenticationKey(username: string, password: string, b: unknown, salt: unknown, callback: (error: unknown, key: Uint8Array) => void): void;
}

/**
 * One SRP exchange's client half, computed by the library's AuthenticationHelper and signed as
 * CognitoUser.authenticateUser signs it: SRP_A, then the PASSWORD_VERIFIER responses for a challenge.
 */
export async function identityJsSrp(poolName: string): Promise<{
  readonly srpA: string;
  respond(challengeParameters: Readonly<Record<string, string>>, password: string, timestamp?: string): Promise<Record<string, string>>;
}> {
  const helper = new AuthenticationHelper(poolName) as unknown as Helper;
  const BigInteger = helper.N.constructor;
  const a = await new Promise<{ toString(radix: number): string }>((resolve, reject) => helper.getLargeAValue((error, value) => (error ? reject(error) : resolve(value))));
  return {
    srpA: a.toString(16),
    async respond(parameters, password, timestamp = new DateHelper().getNowString()) {
      const username = parameters.USER_ID_FOR_SRP ?? "";
      const key = await new Promise<Uint8Array>((resolve, reject) =>
        helper.getPasswordAuthenticationKey(username, password, new BigInteger(parameters.SRP_B ?? "", 16), new BigInteger(parameters.SALT ?? "", 16), (error, value) =>
          error ? reject(error) : resolve(value),
        ),
      );
      const signature = createHmac("sha256", key)
        .update(Buffer.concat([Buffer.from(poolName), Buffer.from(username), Buffer.from(parameters.SECRET_BLOCK ?? "", "base64"), Buffer.from(timestamp)]))
        .digest("base64");
      return { USERNAME: username, PASSWORD_CLAIM_SECRET_BLOCK: parameters.SECRET_BLOCK ?? "", TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: signature };
    },
  };
}
