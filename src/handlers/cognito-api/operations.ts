/**
 * The operations the local Cognito API plays, one entry each: how its body is decoded, the one port
 * method it calls, and how the answer is written back in Cognito's shapes (PascalCase members,
 * `AuthenticationResult`, `[{ Name, Value }]` attributes). Free of hono: the route (routes.ts) does the
 * HTTP around it.
 */
import type { JsonObject } from "../http/decode.js";
import type { AuthenticationResult, AuthOutcome, UserPool, UserPoolResult } from "../../ports/user-pool.js";
import type { CognitoFailure } from "./errors.js";
import {
  decodeGetTokensFromRefreshToken,
  decodeGetUser,
  decodeGlobalSignOut,
  decodeInitiateAuth,
  decodeRespondToAuthChallenge,
  decodeRevokeToken,
  decodeSignUp,
  type Decoding,
} from "./decode.js";

/** What an operation answers: Cognito's response body, or Cognito's exception. */
export type OperationOutcome = { readonly ok: true; readonly body: object } | { readonly ok: false; readonly error: CognitoFailure };

export type Operation = (pool: UserPool, body: JsonObject) => Promise<OperationOutcome>;

/** Decode, call one port method, map the result: the whole of every operation. */
function operation<I, O>(decode: (body: JsonObject) => Decoding<I>, call: (pool: UserPool, input: I) => Promise<UserPoolResult<O>>, encode: (value: O) => object): Operation {
  return async (pool, body) => {
    const input = decode(body);
    if (!input.ok) return input;
    const result = await call(pool, input.value);
    return result.ok ? { ok: true, body: encode(result.value) } : result;
  };
}

function encodeTokens(result: AuthenticationResult): object {
  return {
    AccessToken: result.accessToken,
    IdToken: result.idToken,
    ...(result.refreshToken === undefined ? {} : { RefreshToken: result.refreshToken }),
    ExpiresIn: result.expiresIn,
    TokenType: result.tokenType,
  };
}

/** Cognito sends `ChallengeParameters: {}` beside tokens too, and clients read either shape. */
function encodeAuthOutcome(outcome: AuthOutcome): object {
  if (outcome.kind === "tokens") return { AuthenticationResult: encodeTokens(outcome.authenticationResult), ChallengeParameters: {} };
  return { ChallengeName: outcome.challengeName, Session: outcome.session, ChallengeParameters: { ...outcome.challengeParameters } };
}

const empty = (): object => ({});

/** Keyed by the operation's name as `X-Amz-Target` carries it after `AWSCognitoIdentityProviderService.`. */
export const OPERATIONS = {
  SignUp: operation(
    decodeSignUp,
    (pool, input) => pool.signUp(input),
    (value) => ({ UserConfirmed: value.userConfirmed, UserSub: value.userSub }),
  ),
  InitiateAuth: operation(decodeInitiateAuth, (pool, input) => pool.initiateAuth(input), encodeAuthOutcome),
  RespondToAuthChallenge: operation(decodeRespondToAuthChallenge, (pool, input) => pool.respondToAuthChallenge(input), encodeAuthOutcome),
  GetTokensFromRefreshToken: operation(
    decodeGetTokensFromRefreshToken,
    (pool, input) => pool.getTokensFromRefreshToken(input),
    (result) => ({ AuthenticationResult: encodeTokens(result) }),
  ),
  GetUser: operation(
    decodeGetUser,
    (pool, input) => pool.getUser(input),
    (value) => ({ Username: value.username, UserAttributes: Object.entries(value.userAttributes).map(([Name, Value]) => ({ Name, Value })) }),
  ),
  RevokeToken: operation(decodeRevokeToken, (pool, input) => pool.revokeToken(input), empty),
  GlobalSignOut: operation(decodeGlobalSignOut, (pool, input) => pool.globalSignOut(input), empty),
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof OPERATIONS;

export const OPERATION_NAMES = Object.keys(OPERATIONS) as readonly OperationName[];

/** The prefix of every target: Cognito's service name in its JSON protocol. */
export const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";

/** The operation `X-Amz-Target` names, or null when it names none the local pool plays. */
export function operationOf(target: string | undefined): OperationName | null {
  if (target === undefined || !target.startsWith(TARGET_PREFIX)) return null;
  const name = target.slice(TARGET_PREFIX.length);
  return OPERATION_NAMES.find((known) => known === name) ?? null;
}
